import { sql } from "drizzle-orm";
import { members, msps, systemState } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import { createSession } from "@/lib/services/sessions/create";
import { insertPasskey } from "@/lib/services/passkeys/insert";
import { consumeChallenge } from "@/lib/services/webauthn/challenges";
import { verifyRegistration } from "@/lib/services/webauthn/registration";
import { setupClosed } from "./start";

/**
 * First-run step 2: verifies the owner's passkey, then creates the MSP, the owner, the passkey and a
 * session in one transaction, and closes setup for good.
 */
export async function completeSetup(response: unknown, flowToken: string | undefined, request: RequestInfo) {
  const pending = await consumeChallenge({ ceremony: "setup", flowToken });
  const passkey = await verifyRegistration(response, pending.challenge);
  const { mspName, ownerName, ownerEmail, userHandle } = pending.context as Record<string, string>;
  // Setup creates the first MSP: there is none to scope to until it is inserted.
  return systemTxBypassingRls(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('stint:setup', 0))`);
    const closed = await tx
      .insert(systemState)
      .values({ key: "setup", value: { completedAt: new Date().toISOString() } })
      .onConflictDoNothing()
      .returning();
    if (closed.length === 0) throw setupClosed();
    const mspId = newId("msp");
    const memberId = newId("member");
    await tx.insert(msps).values({ id: mspId, name: mspName! });
    await tx.insert(members).values({
      id: memberId,
      mspId,
      email: ownerEmail!,
      displayName: ownerName!,
      role: "owner",
      webauthnUserId: userHandle!,
    });
    await insertPasskey(tx, { mspId, memberId, name: "First passkey", passkey });
    const session = await createSession(tx, { mspId, memberId, passkeyId: passkey.id, request });
    const ctx: ServiceContext = {
      mspId,
      actor: { type: "member", memberId, role: "owner", label: ownerEmail!, sessionId: session.sessionId },
      request,
      steppedUpAt: null,
    };
    await recordAudit(tx, ctx, { action: "setup.completed", target: { type: "msp", id: mspId, label: mspName } });
    await recordAudit(tx, ctx, { action: "member.created", target: { type: "member", id: memberId, label: ownerEmail }, metadata: { role: "owner" } });
    await recordAudit(tx, ctx, { action: "passkey.registered", target: { type: "passkey", id: passkey.id, label: "First passkey" } });
    await recordAudit(tx, ctx, { action: "auth.signed_in", target: { type: "session", id: session.sessionId } });
    return session;
  });
}
