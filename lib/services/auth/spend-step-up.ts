import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sessions } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { requireMember, STEP_UP_WINDOW_MS, type ServiceContext } from "@/lib/services/context";

/**
 * Uses up the session's step-up for one action (creating a token, approving an extension pairing,
 * revealing a credential). Only a passkey assertion made after sign-in counts: a sign-in stamps
 * stepped_up_at with the session's own creation time, which these actions refuse, so a session cookie
 * taken moments after sign-in cannot mint a token or pair a device. Of two actions racing on one step-up
 * only one finds it. Call it inside the action's transaction: an action that fails gives the step-up back.
 */
export async function spendStepUp(tx: Tx, ctx: ServiceContext): Promise<void> {
  const me = requireMember(ctx);
  const [spent] = await tx
    .update(sessions)
    .set({ steppedUpAt: null })
    .where(
      and(
        eq(sessions.id, me.sessionId ?? ""),
        eq(sessions.mspId, ctx.mspId),
        isNull(sessions.endedAt),
        gt(sessions.steppedUpAt, new Date(Date.now() - STEP_UP_WINDOW_MS)),
        gt(sessions.steppedUpAt, sql`${sessions.createdAt}`),
      ),
    )
    .returning({ id: sessions.id });
  if (!spent) throw new AppError("step_up_required", "Confirm it is you with your passkey for this action.");
}
