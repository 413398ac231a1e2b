import { and, count, eq, isNull } from "drizzle-orm";
import { members, passkeys, sessions } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { conflict, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";

/**
 * Removes one of the member's own passkeys, never the last one (needs a fresh step-up), and ends every
 * session that passkey opened: a passkey removed because it is lost or stolen must not leave its
 * sign-ins behind. That can include the session making the request.
 */
export async function removePasskey(ctx: ServiceContext, passkeyId: string) {
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    // Lock the member row so two concurrent removals cannot both pass the "not the last one" check.
    await tx.select({ id: members.id }).from(members).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId))).for("update");
    const own = and(eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId));
    const [target] = await tx.select({ id: passkeys.id, name: passkeys.name }).from(passkeys).where(and(own, eq(passkeys.id, passkeyId)));
    if (!target) throw notFound("Passkey");
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(passkeys).where(own);
    if (n <= 1) throw conflict("This is your only passkey. Add another one before removing it.");
    await tx.delete(passkeys).where(and(own, eq(passkeys.id, target.id)));
    const ended = await tx
      .update(sessions)
      .set({ endedAt: new Date(), endReason: "passkey_removed" })
      .where(and(eq(sessions.mspId, ctx.mspId), eq(sessions.memberId, me.memberId), eq(sessions.passkeyId, target.id), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    await recordAudit(tx, ctx, {
      action: "passkey.removed",
      target: { type: "passkey", id: target.id, label: target.name },
      metadata: { sessionsEnded: ended.length },
    });
  });
}
