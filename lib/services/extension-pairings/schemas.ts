import { z } from "zod";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";
import { normaliseUserCode } from "@/lib/extension/user-code";

/** How long a pairing can be answered and collected (RFC 8628 expires_in). */
export const PAIRING_TTL_SECONDS = 600;
/** How often the extension polls (RFC 8628 interval). */
export const POLL_INTERVAL_SECONDS = 5;
/** What the extension's token may do: list its owner's grants and sign in with them. Nothing else. */
export const EXTENSION_TOKEN_SCOPES: TokenScope[] = ["grants:read", "credentials:read"];
/** The extension's token lives at most this long (or the MSP's token limit, if shorter); then pair again. */
export const EXTENSION_TOKEN_MAX_DAYS = 30;

/** 256 random bits, base64url: what a device code always looks like. Anything else is not looked up. */
export const deviceCodeShape = /^[A-Za-z0-9_-]{43}$/;

export const startPairingInput = z.object({
  deviceLabel: z
    .string()
    .trim()
    .max(100, "At most 100 characters.")
    .optional()
    .transform((v) => v || null)
    .meta({ description: "What the extension calls itself, shown to the member who approves, e.g. “Chrome on Linux”." }),
});

export const pollPairingInput = z.object({
  deviceCode: z.string().min(1, "Send the device code.").max(200, "Not a device code.").meta({ description: "The deviceCode from POST /extension/pairings." }),
});

export const lookupPairingInput = z.object({
  userCode: z
    .string()
    .max(40)
    .transform((v, issue) => {
      const code = normaliseUserCode(v);
      if (!code) {
        issue.addIssue({ code: "custom", message: "Enter the 8-letter code the extension shows, like BCDF-GHJK." });
        return z.NEVER;
      }
      return code;
    }),
});
