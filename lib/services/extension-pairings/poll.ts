import { and, eq, gt } from "drizzle-orm";
import { extensionPairings, members, msps, type ExtensionPairing } from "@/db/schema";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { rateLimit } from "@/lib/http/rate-limit";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import { insertToken, tokenMaxDays } from "@/lib/services/tokens/insert";
import { tokenDigest } from "@/lib/tokens/digest";
import { pairingGone } from "./internal";
import { deviceCodeShape, EXTENSION_TOKEN_MAX_DAYS, EXTENSION_TOKEN_SCOPES, POLL_INTERVAL_SECONDS, pollPairingInput } from "./schemas";

/**
 * One poll per device code per window (RFC 8628 slow_down). The window is a second shorter than the
 * advertised interval, so an extension polling on time is never refused for timer or network jitter.
 */
export const POLL_PACE = { name: "extension-pairing-poll", points: 1, durationSeconds: POLL_INTERVAL_SECONDS - 1 } as const;

export type PollAnswer =
  | { status: "pending" }
  | {
      status: "approved";
      token: string;
      tokenId: string;
      expiresAt: Date;
      member: { email: string; displayName: string };
      mspName: string;
    };

async function keepPace(digest: string): Promise<void> {
  try {
    await rateLimit(POLL_PACE.name, digest, POLL_PACE.points, POLL_PACE.durationSeconds);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "rate_limited") throw err;
    throw new AppError("slow_down", `Poll at most every ${POLL_INTERVAL_SECONDS} seconds.`, { retryAfterSeconds: err.retryAfterSeconds });
  }
}

/**
 * Collects an approved pairing, once: ONE `update … where status = 'approved' returning` flips it to
 * completed, and only the transaction that got the row back creates the token (in the same transaction,
 * with both audit events). A concurrent collector waits on the row lock, then finds it completed: two polls
 * can never both get a token. Exported for the concurrency test.
 */
export async function collectApprovedPairing(pairing: ExtensionPairing, request: RequestInfo): Promise<PollAnswer> {
  const mspId = pairing.mspId!;
  const memberId = pairing.memberId!;
  return withMspTx(mspId, async (tx) => {
    const now = new Date();
    const [claimed] = await tx
      .update(extensionPairings)
      .set({ status: "completed", completedAt: now })
      .where(and(eq(extensionPairings.id, pairing.id), eq(extensionPairings.mspId, mspId), eq(extensionPairings.status, "approved"), gt(extensionPairings.expiresAt, now)))
      .returning({ id: extensionPairings.id });
    if (!claimed) throw pairingGone();
    const [owner] = await tx
      .select({ email: members.email, displayName: members.displayName, role: members.role, status: members.status, mspName: msps.name })
      .from(members)
      .innerJoin(msps, eq(msps.id, members.mspId))
      .where(and(eq(members.id, memberId), eq(members.mspId, mspId)));
    // A member disabled since approving gets no token (it would be refused at every use anyway).
    if (!owner || owner.status !== "active") throw pairingGone();

    // The extension acts for the member who approved it: they own the token and the audit events.
    const ctx: ServiceContext = { mspId, actor: { type: "member", memberId, role: owner.role, label: owner.email, sessionId: null }, request, steppedUpAt: null };
    const days = Math.min(EXTENSION_TOKEN_MAX_DAYS, await tokenMaxDays(tx, mspId));
    const created = await insertToken(
      tx,
      ctx,
      memberId,
      {
        type: "extension",
        name: pairing.deviceLabel ? `Browser extension (${pairing.deviceLabel})` : "Browser extension",
        scopes: EXTENSION_TOKEN_SCOPES,
        customerIds: null,
        allowedCidrs: null,
        expiresAt: new Date(now.getTime() + days * 86_400_000),
      },
      { pairingId: pairing.id },
    );
    await tx.update(extensionPairings).set({ tokenId: created.id }).where(and(eq(extensionPairings.id, pairing.id), eq(extensionPairings.mspId, mspId)));
    await recordAudit(tx, ctx, {
      action: "extension.paired",
      target: { type: "extension_pairing", id: pairing.id, label: pairing.deviceLabel },
      metadata: { tokenId: created.id, hint: created.hint, expiresAt: created.expiresAt.toISOString() },
    });
    return {
      status: "approved",
      token: created.token,
      tokenId: created.id,
      expiresAt: created.expiresAt,
      member: { email: owner.email, displayName: owner.displayName },
      mspName: owner.mspName,
    };
  });
}

/**
 * The extension's poll with its device code (no other authentication). Pending: wait. Approved: the
 * token, exactly once. Denied: 403 pairing_denied. Unknown, expired or already collected: 410, and the
 * extension starts over. Too fast: 429 slow_down with Retry-After.
 */
export async function pollPairing(input: unknown, request: RequestInfo): Promise<PollAnswer> {
  const { deviceCode } = pollPairingInput.parse(input);
  const digest = tokenDigest(deviceCode);
  await keepPace(digest);
  if (!deviceCodeShape.test(deviceCode)) throw pairingGone();
  const now = new Date();
  // The device code is all the extension has: its pairing names the MSP, once a member has answered it.
  const [pairing] = await systemTxBypassingRls((tx) =>
    tx.update(extensionPairings).set({ lastPolledAt: now }).where(eq(extensionPairings.deviceCodeDigest, digest)).returning(),
  );
  if (!pairing || pairing.status === "completed" || pairing.expiresAt <= now) throw pairingGone();
  if (pairing.status === "denied") throw new AppError("pairing_denied", "The request was denied in the console. Start pairing again if that was a mistake.");
  if (pairing.status === "pending") return { status: "pending" };
  return collectApprovedPairing(pairing, request);
}
