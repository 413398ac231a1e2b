import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sessions } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";

/** Ends every open session of a member (disable, recovery) inside the caller's transaction. */
export async function endAllSessionsOf(tx: Tx, mspId: string, memberId: string, reason: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(sessions.mspId, mspId), eq(sessions.memberId, memberId), isNull(sessions.endedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** A member ends one of their own sessions (sign-out is ending the current one). */
export async function endOwnSession(ctx: ServiceContext, sessionId: string, reason: "signed_out" | "ended_by_member") {
  const me = requireMember(ctx);
  await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ endedAt: new Date(), endReason: reason })
      .where(
        and(eq(sessions.id, sessionId), eq(sessions.mspId, ctx.mspId), eq(sessions.memberId, me.memberId), isNull(sessions.endedAt)),
      )
      .returning({ id: sessions.id });
    if (!row) throw notFound("Session");
    await recordAudit(tx, ctx, {
      action: reason === "signed_out" ? "auth.signed_out" : "session.ended",
      target: { type: "session", id: sessionId },
    });
  });
}
