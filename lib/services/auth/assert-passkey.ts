import { and, eq } from "drizzle-orm";
import { members, passkeys, type Member, type Passkey } from "@/db/schema";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo } from "@/lib/services/context";
import { PasskeyRejected, verifyAssertion } from "@/lib/services/webauthn/authentication";
import type { AuthenticationResponse } from "@/lib/services/webauthn/schemas";

export const signInFailed = () => new AppError("unauthorized", "Sign-in failed. Use a passkey registered with Stint.");

/**
 * Checks a passkey assertion end to end and commits its effects: the credential must exist, belong to an
 * active member whose user handle the authenticator returned, verify cryptographically, and its counter
 * is advanced with a compare-and-swap (a concurrent replay of the same counter loses). Failures for a
 * known credential are audited in its MSP; unknown credentials only reach the log.
 */
export async function assertPasskey(args: {
  response: AuthenticationResponse;
  expectedChallenge: string;
  request: RequestInfo;
  action: string;
  expectedMemberId?: string;
}): Promise<{ member: Member; passkey: Passkey }> {
  // The credential id is all the browser sends: its row names the member and the MSP.
  const [found] = await systemTxBypassingRls((tx) =>
    tx
      .select({ passkey: passkeys, member: members })
      .from(passkeys)
      .innerJoin(members, and(eq(members.id, passkeys.memberId), eq(members.mspId, passkeys.mspId)))
      .where(eq(passkeys.id, args.response.id))
      .limit(1),
  );
  if (!found) {
    logger.warn({ event: args.action, ip: args.request.ip }, "assertion with an unknown credential");
    throw signInFailed();
  }
  const { passkey, member } = found;
  const fail = async (reason: string) => {
    await withMspTx(member.mspId, (tx) =>
      recordAudit(
        tx,
        { mspId: member.mspId, actor: { type: "anonymous", label: member.email }, request: args.request, steppedUpAt: null },
        { action: args.action, result: "failure", reason, target: { type: "member", id: member.id, label: member.email } },
      ),
    );
    return signInFailed();
  };
  if (args.expectedMemberId && args.expectedMemberId !== member.id) throw await fail("passkey of another member");
  // A discoverable sign-in names its account only through the user handle, so it must be returned and be
  // the credential owner's (WebAuthn §7.2 step 6); when the member is known already (step-up), a handle
  // that is returned must still be theirs.
  const userHandle = args.response.response.userHandle;
  const handleRequired = !args.expectedMemberId;
  if ((handleRequired || userHandle !== undefined) && userHandle !== member.webauthnUserId) {
    throw await fail("user handle does not match the credential");
  }
  if (member.status !== "active") throw await fail("member is disabled");
  let verified;
  try {
    verified = await verifyAssertion({ response: args.response, expectedChallenge: args.expectedChallenge, passkey });
  } catch (err) {
    if (err instanceof PasskeyRejected) throw await fail(err.message);
    throw err;
  }
  const advanced = await withMspTx(member.mspId, (tx) =>
    tx
      .update(passkeys)
      .set({ counter: verified.newCounter, backedUp: verified.backedUp, lastUsedAt: new Date() })
      .where(and(eq(passkeys.id, passkey.id), eq(passkeys.mspId, member.mspId), eq(passkeys.counter, passkey.counter)))
      .returning({ id: passkeys.id }),
  );
  if (advanced.length === 0) throw await fail("counter changed during verification");
  return { member, passkey };
}
