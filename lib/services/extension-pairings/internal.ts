import { and, eq, gt } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { extensionPairings } from "@/db/schema";
import { AppError, forbidden } from "@/lib/errors";
import { formatUserCode } from "@/lib/extension/user-code";
import { recordAudit } from "@/lib/services/audit/record";
import type { MemberActor, ServiceContext } from "@/lib/services/context";

/** The extension's answer for every pairing it can no longer use: unknown, expired or already collected. */
export const pairingGone = () => new AppError("gone", "This pairing is unknown, expired or already used. Start pairing again from the extension.");

/** Pairing is done in the console, by a signed-in member: an access token cannot approve a device. */
export function requireSessionMember(ctx: ServiceContext): MemberActor {
  if (ctx.actor.type !== "member") throw forbidden("Connect the browser extension in the console.");
  return ctx.actor;
}

/**
 * Answers a pending pairing once (compare-and-set on status = pending, not expired) and binds it to the
 * member's MSP, with its audit event. Runs in a system transaction: until this update the row has no
 * MSP, so the MSP's own policy would not show it.
 */
export async function answerPairing(tx: Tx, ctx: ServiceContext, me: MemberActor, pairingId: string, answer: "approved" | "denied") {
  const now = new Date();
  const [row] = await tx
    .update(extensionPairings)
    .set({ status: answer, mspId: ctx.mspId, memberId: me.memberId, approvedAt: answer === "approved" ? now : null })
    .where(and(eq(extensionPairings.id, pairingId), eq(extensionPairings.status, "pending"), gt(extensionPairings.expiresAt, now)))
    .returning();
  if (!row) throw new AppError("gone", "This request has expired or was already answered. Start pairing again from the extension.");
  await recordAudit(tx, ctx, {
    action: `extension.pairing_${answer}`,
    target: { type: "extension_pairing", id: row.id, label: row.deviceLabel },
    metadata: { userCode: formatUserCode(row.userCode), requestedFrom: row.createdIp, userAgent: row.userAgent },
  });
  return row;
}
