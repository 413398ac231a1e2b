import { randomBytes } from "node:crypto";
import { extensionPairings } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { appOrigin } from "@/lib/env";
import { formatUserCode, newUserCode } from "@/lib/extension/user-code";
import { newId } from "@/lib/ids";
import type { RequestInfo } from "@/lib/services/context";
import { tokenDigest } from "@/lib/tokens/digest";
import { PAIRING_TTL_SECONDS, POLL_INTERVAL_SECONDS, startPairingInput } from "./schemas";

/** A user code is drawn again when it collides with a live one (20^8 codes: in practice never twice). */
const USER_CODE_ATTEMPTS = 5;

/**
 * The extension asks to be paired (no authentication; rate-limited per address by the v1 wrapper). It
 * gets a device code — a 256-bit secret it keeps and polls with, stored here only as a keyed digest — and
 * a short user code for its member to type into the console. Nobody and no MSP is bound yet.
 */
export async function startPairing(input: unknown, request: RequestInfo) {
  const { deviceLabel } = startPairingInput.parse(input);
  const deviceCode = randomBytes(32).toString("base64url");
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + PAIRING_TTL_SECONDS * 1000);
  for (let attempt = 0; attempt < USER_CODE_ATTEMPTS; attempt++) {
    const userCode = newUserCode();
    // A new pairing belongs to no MSP until a member answers it.
    const inserted = await systemTxBypassingRls((tx) =>
      tx
        .insert(extensionPairings)
        .values({
          id: newId("pairing"),
          deviceCodeDigest: tokenDigest(deviceCode),
          userCode,
          deviceLabel,
          createdIp: request.ip,
          createdAt,
          userAgent: request.userAgent?.slice(0, 300) ?? null,
          expiresAt,
        })
        .onConflictDoNothing()
        .returning({ id: extensionPairings.id }),
    );
    if (inserted.length === 1) {
      // No verification_uri_complete (RFC 8628 §3.3.1): a link that carries the code lets a phisher send
      // the member one click that approves the phisher's extension; typing the code means reading it off
      // one's own extension.
      return {
        deviceCode,
        userCode: formatUserCode(userCode),
        verificationUri: `${appOrigin}/extension/connect`,
        expiresIn: PAIRING_TTL_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      };
    }
  }
  throw new Error("could not draw a free pairing user code");
}
