import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo } from "@/lib/services/context";
import { parseToken } from "@/lib/tokens/format";
import { findTokenByValue, padToFloor } from "./internal";
import { reportLeakedTokenInput } from "./schemas";

/** Every report is answered after at least this long, whatever happened behind it. */
export const REPORT_FLOOR_MS = 250;

export type LeakReportAnswer = { received: true };

/**
 * Anyone who finds a Stint token (a secret scanner, a stranger, its owner) may report it, without
 * signing in. A live token is revoked at once and the revocation audited in its MSP. The answer is the
 * same, after the same floor, whether the token was live, dead, unknown or garbage: reporting tells
 * the reporter nothing, so it cannot be used to test tokens.
 */
export async function reportLeakedToken(input: unknown, request: RequestInfo): Promise<LeakReportAnswer> {
  const started = performance.now();
  const { token } = reportLeakedTokenInput.parse(input);
  const candidate = token.trim();
  let outcome = "malformed";
  if (parseToken(candidate)) {
    // A reported token may be any MSP's: its row says which.
    outcome = await systemTxBypassingRls(async (tx) => {
      const found = await findTokenByValue(tx, candidate);
      if (!found) return "unknown";
      if (found.token.revokedAt) return "already_revoked";
      const [revoked] = await tx
        .update(apiTokens)
        .set({ revokedAt: new Date(), revokedBy: null, revokeReason: "leaked" })
        .where(and(eq(apiTokens.id, found.token.id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      if (!revoked) return "already_revoked";
      await recordAudit(
        tx,
        { mspId: found.token.mspId, actor: { type: "anonymous", label: "leaked-token report" }, request, steppedUpAt: null },
        {
          action: "token.leak_reported",
          target: { type: "token", id: found.token.id, label: found.token.name },
          reason: "Reported as leaked; revoked.",
          metadata: { owner: found.token.memberId, hint: found.token.hint },
        },
      );
      return "revoked";
    });
  }
  logger.info({ outcome, ip: request.ip }, "leaked-token report");
  await padToFloor(started, REPORT_FLOOR_MS);
  return { received: true };
}
