import { z } from "zod";
import { tokenScopes } from "@/lib/vocabulary/token-scopes";
import { normaliseCidr } from "@/lib/tokens/cidr-format";

/** GitLab's ceiling: an MSP may allow at most a year. */
export const TOKEN_MAX_DAYS_LIMIT = 365;
export const MAX_CIDRS = 20;
export const MAX_TOKEN_CUSTOMERS = 100;

export const tokenNameInput = z.string().trim().min(1, "Enter a name.").max(80, "At most 80 characters.");

export const createTokenInput = z.object({
  name: tokenNameInput,
  scopes: z
    .array(z.enum(tokenScopes, { error: "Unknown scope." }))
    .min(1, "Choose at least one scope.")
    .transform((s) => [...new Set(s)]),
  /** Checked against the MSP's maximum by the service. */
  expiresInDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Whole days only.")
    .min(1, "At least 1 day.")
    .max(TOKEN_MAX_DAYS_LIMIT, `At most ${TOKEN_MAX_DAYS_LIMIT} days.`),
  /** Empty or absent: every customer the owner may see. */
  customerIds: z
    .array(z.string().min(1).max(40))
    .max(MAX_TOKEN_CUSTOMERS, `At most ${MAX_TOKEN_CUSTOMERS} customers.`)
    .nullish()
    .transform((ids) => (ids && ids.length > 0 ? [...new Set(ids)] : null)),
  /** Empty or absent: usable from anywhere. */
  allowedCidrs: z
    .array(z.string().max(64))
    .max(MAX_CIDRS, `At most ${MAX_CIDRS} address blocks.`)
    .nullish()
    .transform((list, issue) => {
      const cleaned = (list ?? []).map((c) => c.trim()).filter(Boolean);
      const normalised: string[] = [];
      for (const entry of cleaned) {
        const cidr = normaliseCidr(entry);
        if (!cidr) {
          issue.addIssue({ code: "custom", message: `"${entry}" is not an IPv4 or IPv6 address or CIDR block.` });
          return z.NEVER;
        }
        normalised.push(cidr);
      }
      return normalised.length > 0 ? [...new Set(normalised)] : null;
    }),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

/** A leaked-token report carries the token and nothing else. */
export const reportLeakedTokenInput = z.object({ token: z.string().max(200) });
