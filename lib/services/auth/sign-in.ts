import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo } from "@/lib/services/context";
import { createSession } from "@/lib/services/sessions/create";
import { buildAuthenticationOptions, parseAuthenticationResponse } from "@/lib/services/webauthn/authentication";
import { consumeChallenge, storeChallenge } from "@/lib/services/webauthn/challenges";
import { assertPasskey } from "./assert-passkey";

/** Username-less sign-in, step 1: a challenge with no allow list (the authenticator offers its passkeys). */
export async function startSignIn(flowToken: string) {
  const options = await buildAuthenticationOptions();
  await storeChallenge({ ceremony: "sign_in", flowToken, challenge: options.challenge });
  return options;
}

/** Step 2: verify the assertion and open a new session. */
export async function completeSignIn(body: unknown, flowToken: string | undefined, request: RequestInfo) {
  const pending = await consumeChallenge({ ceremony: "sign_in", flowToken });
  const response = parseAuthenticationResponse(body);
  const { member, passkey } = await assertPasskey({
    response,
    expectedChallenge: pending.challenge,
    request,
    action: "auth.signed_in",
  });
  return withMspTx(member.mspId, async (tx) => {
    const session = await createSession(tx, { mspId: member.mspId, memberId: member.id, passkeyId: passkey.id, request });
    await recordAudit(
      tx,
      {
        mspId: member.mspId,
        actor: { type: "member", memberId: member.id, role: member.role, label: member.email, sessionId: session.sessionId },
        request,
        steppedUpAt: null,
      },
      { action: "auth.signed_in", target: { type: "session", id: session.sessionId }, metadata: { passkey: passkey.name } },
    );
    return session;
  });
}
