import { and, eq, gt, isNull } from "drizzle-orm";
import { invites, members, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId, randomBase62 } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import { insertPasskey } from "@/lib/services/passkeys/insert";
import { createSession } from "@/lib/services/sessions/create";
import { endAllSessionsOf } from "@/lib/services/sessions/end";
import { consumeChallenge, storeChallenge } from "@/lib/services/webauthn/challenges";
import { buildRegistrationOptions, verifyRegistration } from "@/lib/services/webauthn/registration";
import { findUsableInvite, inviteUnusable } from "./lookup";
import { recheckInvite } from "./recheck";

/** Invite step 1: passkey registration options for the invitee (or the member being recovered). */
export async function startAcceptInvite(token: string, flowToken: string) {
  const { invite } = await findUsableInvite(token);
  const recovered = await withMspTx(invite.mspId, (tx) => recheckInvite(tx, invite));
  const userHandle = recovered?.webauthnUserId ?? randomBase62(32);
  const options = await buildRegistrationOptions({
    userHandle,
    email: invite.email,
    displayName: invite.displayName,
    excludeCredentialIds: [],
  });
  await storeChallenge({ ceremony: "invite", flowToken, challenge: options.challenge, context: { inviteId: invite.id, userHandle } });
  return options;
}

/**
 * Invite step 2: verifies the passkey and, in one transaction, uses up the invite (exactly once, even
 * under concurrent attempts), checks it against the MSP as it is now (recheck.ts), creates the member —
 * or for a recovery invite replaces the member's passkeys and ends their sessions — stores the passkey
 * and opens a session.
 */
export async function completeAcceptInvite(token: string, body: unknown, flowToken: string | undefined, request: RequestInfo) {
  const { invite } = await findUsableInvite(token);
  const pending = await consumeChallenge({ ceremony: "invite", flowToken });
  if (pending.context.inviteId !== invite.id) throw inviteUnusable();
  const passkey = await verifyRegistration(body, pending.challenge);
  return withMspTx(invite.mspId, async (tx) => {
    const [used] = await tx
      .update(invites)
      .set({ usedAt: new Date() })
      .where(and(eq(invites.id, invite.id), eq(invites.mspId, invite.mspId), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())))
      .returning();
    if (!used) throw inviteUnusable();
    const recovered = await recheckInvite(tx, used);
    const memberId = recovered?.id ?? newId("member");
    if (recovered) {
      await tx.delete(passkeys).where(and(eq(passkeys.mspId, used.mspId), eq(passkeys.memberId, memberId)));
      await endAllSessionsOf(tx, used.mspId, memberId, "recovered");
    } else {
      await tx.insert(members).values({
        id: memberId,
        mspId: used.mspId,
        email: used.email,
        displayName: used.displayName,
        role: used.role,
        webauthnUserId: pending.context.userHandle!,
      });
    }
    await insertPasskey(tx, { mspId: used.mspId, memberId, name: "First passkey", passkey });
    const session = await createSession(tx, { mspId: used.mspId, memberId, passkeyId: passkey.id, request });
    const ctx: ServiceContext = {
      mspId: used.mspId,
      actor: { type: "member", memberId, role: used.role, label: used.email, sessionId: session.sessionId },
      request,
      steppedUpAt: null,
    };
    await recordAudit(tx, ctx, {
      action: recovered ? "member.recovered" : "member.joined",
      target: { type: "member", id: memberId, label: used.email },
      metadata: { invite: used.id, role: used.role },
    });
    await recordAudit(tx, ctx, { action: "passkey.registered", target: { type: "passkey", id: passkey.id, label: "First passkey" } });
    await recordAudit(tx, ctx, { action: "auth.signed_in", target: { type: "session", id: session.sessionId } });
    return session;
  });
}
