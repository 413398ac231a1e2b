import { and, eq, gt } from "drizzle-orm";
import { extensionPairings } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { describeUserAgent } from "@/lib/http/user-agent";
import { formatUserCode } from "@/lib/extension/user-code";
import { rateLimit } from "@/lib/http/rate-limit";
import type { ServiceContext } from "@/lib/services/context";
import { requireSessionMember } from "./internal";
import { lookupPairingInput } from "./schemas";

/**
 * Every lookup counts, per member: 10 per 10 minutes is plenty for typing a code wrong a few times, and
 * makes guessing a live code among 20^8 hopeless (a code lives 10 minutes).
 */
export const LOOKUP_LIMIT = { name: "extension-pairing-lookup", points: 10, durationSeconds: 600 } as const;

/**
 * The pending pairing with the code the member typed, with what the console shows before they approve:
 * the extension's label, a browser summary, the address and time it asked from, and its expiry; and the
 * member's own address now, to compare with (the server's view of both, never the extension's word).
 */
export async function lookupPairing(ctx: ServiceContext, input: unknown) {
  const me = requireSessionMember(ctx);
  const { userCode } = lookupPairingInput.parse(input);
  await rateLimit(LOOKUP_LIMIT.name, me.memberId, LOOKUP_LIMIT.points, LOOKUP_LIMIT.durationSeconds);
  // A pending pairing belongs to no MSP until a member answers it.
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(extensionPairings)
      .where(and(eq(extensionPairings.userCode, userCode), eq(extensionPairings.status, "pending"), gt(extensionPairings.expiresAt, new Date())))
      .limit(1),
  );
  if (!row) {
    throw new AppError("not_found", "No waiting extension shows this code. Codes expire after 10 minutes and work once: check the code, or start again in the extension.", { field: "userCode" });
  }
  return {
    id: row.id,
    userCode: formatUserCode(row.userCode),
    deviceLabel: row.deviceLabel,
    browser: describeUserAgent(row.userAgent),
    userAgent: row.userAgent,
    requestedFrom: row.createdIp,
    yourAddress: ctx.request.ip,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
