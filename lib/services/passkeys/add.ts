import { and, eq } from "drizzle-orm";
import { members, passkeys } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requireMember, type ServiceContext } from "@/lib/services/context";
import { consumeChallenge, storeChallenge } from "@/lib/services/webauthn/challenges";
import { buildRegistrationOptions, verifyRegistration } from "@/lib/services/webauthn/registration";
import { insertPasskey } from "./insert";
import { passkeyNameInput, type PasskeyNameInput } from "./schemas";

/**
 * Adding a passkey, step 1: registration options that exclude the member's existing passkeys. A new
 * passkey is a lasting way into the account, so both steps need a fresh step-up with an existing one:
 * a borrowed session alone cannot plant a passkey.
 */
export async function startAddPasskey(ctx: ServiceContext, flowToken: string, input: PasskeyNameInput) {
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const { name } = passkeyNameInput.parse(input);
  const { member, existing } = await withMspTx(ctx.mspId, async (tx) => {
    const [member] = await tx.select().from(members).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId)));
    const existing = await tx.select({ id: passkeys.id }).from(passkeys).where(and(eq(passkeys.mspId, ctx.mspId), eq(passkeys.memberId, me.memberId)));
    return { member: member!, existing };
  });
  const options = await buildRegistrationOptions({
    userHandle: member.webauthnUserId,
    email: member.email,
    displayName: member.displayName,
    excludeCredentialIds: existing.map((p) => p.id),
  });
  await storeChallenge({ ceremony: "add_passkey", flowToken, challenge: options.challenge, context: { memberId: me.memberId, name } });
  return options;
}

/**
 * Step 2: verify and store the new passkey. Its audit event is an alert, and the account page tells the
 * member about it (passkeys/recent-additions.ts), in case it was not them.
 */
export async function completeAddPasskey(ctx: ServiceContext, body: unknown, flowToken: string | undefined) {
  const me = requireMember(ctx);
  requireFreshStepUp(ctx);
  const pending = await consumeChallenge({ ceremony: "add_passkey", flowToken });
  if (pending.context.memberId !== me.memberId) throw new AppError("bad_request", "This request was started by someone else.");
  const passkey = await verifyRegistration(body, pending.challenge);
  const name = pending.context.name ?? "Passkey";
  await withMspTx(ctx.mspId, async (tx) => {
    await insertPasskey(tx, { mspId: ctx.mspId, memberId: me.memberId, name, passkey });
    await recordAudit(tx, ctx, { action: "passkey.registered", target: { type: "passkey", id: passkey.id, label: name }, metadata: { alert: true } });
  });
}
