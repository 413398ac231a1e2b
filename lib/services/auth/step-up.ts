import { and, eq, isNull } from "drizzle-orm";
import { passkeys, sessions } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { digest, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { buildAuthenticationOptions, parseAuthenticationResponse } from "@/lib/services/webauthn/authentication";
import { consumeChallenge, storeChallenge } from "@/lib/services/webauthn/challenges";
import { assertPasskey } from "./assert-passkey";

/** Step-up, step 1: a challenge limited to the signed-in member's own passkeys. */
export async function startStepUp(ctx: ServiceContext, flowToken: string) {
  const me = requireMember(ctx);
  const own = await withMspTx(ctx.mspId, (tx) =>
    tx.select({ id: passkeys.id }).from(passkeys).where(and(eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId))),
  );
  const options = await buildAuthenticationOptions(own.map((p) => p.id));
  await storeChallenge({
    ceremony: "step_up",
    flowToken,
    challenge: options.challenge,
    context: { memberId: me.memberId, sessionId: me.sessionId ?? "" },
  });
  return options;
}

/**
 * Step 2: a fresh assertion by the same member in the same session marks the session stepped-up for
 * five minutes, and rotates the session token (ASVS 7.2.4: new token on re-authentication).
 */
export async function completeStepUp(ctx: ServiceContext, body: unknown, flowToken: string | undefined) {
  const me = requireMember(ctx);
  const pending = await consumeChallenge({ ceremony: "step_up", flowToken });
  if (pending.context.memberId !== me.memberId || pending.context.sessionId !== me.sessionId) {
    throw new AppError("bad_request", "This confirmation was started in another session. Please try again.");
  }
  const response = parseAuthenticationResponse(body);
  await assertPasskey({ response, expectedChallenge: pending.challenge, request: ctx.request, action: "auth.step_up", expectedMemberId: me.memberId });
  const token = newSecret();
  await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ steppedUpAt: new Date(), tokenDigest: digest(token) })
      .where(and(eq(sessions.id, me.sessionId ?? ""), eq(sessions.mspId, ctx.mspId), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    if (!row) throw new AppError("unauthorized", "Your session has ended. Sign in again.");
    await recordAudit(tx, ctx, { action: "auth.step_up", target: { type: "session", id: row.id } });
  });
  return { token };
}
