import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { generateRegistrationOptions } from "@simplewebauthn/server";
import { auditEvents, members, passkeys, webauthnChallenges } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { digest } from "@/lib/ids";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { SoftAuthenticator, type AuthenticationTamper } from "@/test/soft-authenticator";
import {
  expectAppError,
  inviteMember,
  newFlowToken,
  passkeysOf,
  seedMspDirectly,
  signIn,
  testRequest,
  type TestMember,
  type TestMsp,
} from "@/test/factories";
import { completeSignIn, startSignIn } from "./sign-in";

afterAll(closeDb);

let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Sign-in MSP" });
});

async function storedPasskey(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(passkeys).where(eq(passkeys.id, id)));
  return row!;
}

async function setStoredCounter(id: string, counter: number) {
  await systemTxBypassingRls((tx) => tx.update(passkeys).set({ counter }).where(eq(passkeys.id, id)));
}

async function lastAuditOf(member: TestMember) {
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.mspId, member.mspId), eq(auditEvents.action, "auth.signed_in"), eq(auditEvents.targetId, member.id)))
      .orderBy(desc(auditEvents.seq))
      .limit(1),
  );
  return row;
}

/** A fresh technician with their own authenticator, so tampering tests do not disturb each other. */
async function freshMember(authenticatorOptions?: ConstructorParameters<typeof SoftAuthenticator>[0]) {
  return inviteMember(msp.owner, "technician", { authenticatorOptions });
}

async function expectRefused(member: TestMember, tamper: AuthenticationTamper) {
  await expectAppError(signIn(member.authenticator, tamper), "unauthorized");
}

describe("passkey sign-in", () => {
  it("signs in with a discoverable passkey: a new session, the counter persisted, an audit event", async () => {
    const member = await freshMember();
    const session = await signIn(member.authenticator);
    expect(session.sessionId).not.toBe(member.session.sessionId);
    expect(session.token).not.toBe(member.session.token);
    const resolved = await resolveSession(session.token);
    expect(resolved).toMatchObject({ mspId: msp.mspId, sessionId: session.sessionId, member: { id: member.id, role: "technician" } });
    expect(resolved!.steppedUpAt).toBeInstanceOf(Date);

    // The webauthn4j lesson: a verified counter that is not persisted disables clone detection.
    const stored = await storedPasskey(member.passkeyId);
    expect(stored.counter).toBe(1);
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
    await signIn(member.authenticator);
    expect((await storedPasskey(member.passkeyId)).counter).toBe(2);

    const [event] = await systemTxBypassingRls((tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "auth.signed_in"), eq(auditEvents.targetId, session.sessionId))),
    );
    expect(event).toMatchObject({ result: "success", actorType: "member", actorId: member.id, ip: testRequest.ip });
  });

  it("the same response submitted twice: the second is refused (challenge used up)", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startSignIn(flow);
    const response = member.authenticator.authenticate(options);
    await completeSignIn(response, flow, testRequest);
    await expectAppError(completeSignIn(response, flow, testRequest), "bad_request");
    // Replayed into a new ceremony, its signature is over the old challenge.
    const otherFlow = newFlowToken();
    await startSignIn(otherFlow);
    await expectAppError(completeSignIn(response, otherFlow, testRequest), "unauthorized");
  });

  it("a failed attempt uses up the challenge too", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startSignIn(flow);
    await expectAppError(completeSignIn(member.authenticator.authenticate(options, { flags: { uv: false } }), flow, testRequest), "unauthorized");
    await expectAppError(completeSignIn(member.authenticator.authenticate(options), flow, testRequest), "bad_request");
  });

  it("refuses an expired challenge", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startSignIn(flow);
    await systemTxBypassingRls((tx) =>
      tx.update(webauthnChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(webauthnChallenges.flowDigest, digest(flow))),
    );
    await expectAppError(completeSignIn(member.authenticator.authenticate(options), flow, testRequest), "bad_request");
  });

  it("refuses a response without a flow cookie, or from another browser's flow", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startSignIn(flow);
    const response = member.authenticator.authenticate(options);
    await expectAppError(completeSignIn(response, undefined, testRequest), "bad_request");
    await expectAppError(completeSignIn(response, newFlowToken(), testRequest), "bad_request");
  });

  it("refuses a response whose challenge is not the issued one", async () => {
    const member = await freshMember();
    await expectRefused(member, { challenge: "bm90LXRoZS1pc3N1ZWQtY2hhbGxlbmdlLTAxMjM0NTY3" });
  });

  it.each<[string, AuthenticationTamper]>([
    ["another origin", { origin: "https://evil.example" }],
    ["another port of our host", { origin: "http://localhost:3001" }],
    ["https instead of http", { origin: "https://localhost:3000" }],
    ["a subdomain", { origin: "http://sub.localhost:3000" }],
    ["the null origin", { origin: "null" }],
  ])("refuses %s as origin, and audits the failure", async (_what, tamper) => {
    const member = await freshMember();
    await expectRefused(member, tamper);
    const event = await lastAuditOf(member);
    expect(event).toMatchObject({ result: "failure", actorType: "anonymous" });
    expect(event!.reason).toMatch(/origin/i);
  });

  it("refuses a wrong RP ID", async () => {
    const member = await freshMember();
    await expectRefused(member, { rpId: "evil.example" });
    expect((await lastAuditOf(member))!.reason).toMatch(/RP ID/i);
  });

  it("refuses an assertion without user verification (UV=0)", async () => {
    const member = await freshMember();
    await expectRefused(member, { flags: { uv: false } });
  });

  it("refuses an assertion without user presence (UP=0)", async () => {
    const member = await freshMember();
    await expectRefused(member, { flags: { up: false } });
  });

  it("refuses a registration-typed client data (webauthn.create)", async () => {
    const member = await freshMember();
    await expectRefused(member, { type: "webauthn.create" });
  });

  it("refuses a bad signature", async () => {
    const member = await freshMember();
    await expectRefused(member, { badSignature: true });
    expect((await storedPasskey(member.passkeyId)).counter).toBe(0);
  });

  it("counter regression (stored 5, asserted 3) fails and is audited; the stored counter stays", async () => {
    const member = await freshMember();
    await setStoredCounter(member.passkeyId, 5);
    await expectRefused(member, { counter: 3 });
    const event = await lastAuditOf(member);
    expect(event).toMatchObject({ action: "auth.signed_in", result: "failure", targetType: "member", targetId: member.id });
    expect(event!.reason).toMatch(/counter/i);
    expect((await storedPasskey(member.passkeyId)).counter).toBe(5);
    // An equal counter is a regression too; a higher one is fine.
    await expectRefused(member, { counter: 5 });
    await signIn(member.authenticator, { counter: 6 });
    expect((await storedPasskey(member.passkeyId)).counter).toBe(6);
  });

  it("counters 0/0 (synced passkeys) are accepted again and again", async () => {
    const member = await freshMember({ counter: "zero", backupEligible: true });
    expect((await storedPasskey(member.passkeyId)).backupEligible).toBe(true);
    await signIn(member.authenticator);
    await signIn(member.authenticator);
    expect((await storedPasskey(member.passkeyId)).counter).toBe(0);
  });

  it("refuses an assertion without a user handle (discoverable sign-in needs it)", async () => {
    const member = await freshMember();
    await expectRefused(member, { userHandle: null });
    expect((await lastAuditOf(member))!.reason).toMatch(/user handle/i);
  });

  it("refuses a user handle that is not the credential owner's", async () => {
    const member = await freshMember();
    const other = await freshMember();
    await expectRefused(member, { userHandle: other.webauthnUserId });
  });

  it("refuses an unknown credential without writing an audit event anywhere", async () => {
    const stranger = new SoftAuthenticator();
    stranger.register(await generateRegistrationOptions({ rpName: "x", rpID: "localhost", userName: "stranger" }));
    await expectAppError(signIn(stranger), "unauthorized");
    const rows = await systemTxBypassingRls((tx) => tx.select().from(auditEvents).where(eq(auditEvents.actorLabel, "stranger")));
    expect(rows).toHaveLength(0);
  });

  it("refuses BE=0 with BS=1 in an assertion", async () => {
    const member = await freshMember();
    await expectRefused(member, { flags: { be: false, bs: true } });
  });

  it("refuses an assertion whose BE flag differs from registration (both directions)", async () => {
    const single = await freshMember();
    await expectRefused(single, { flags: { be: true, bs: false } });
    expect((await lastAuditOf(single))!.reason).toMatch(/backup eligibility/i);
    const synced = await freshMember({ backupEligible: true });
    await expectRefused(synced, { flags: { be: false, bs: false } });
    // BS alone may change (a passkey gets backed up later).
    await signIn(synced.authenticator, { flags: { be: true, bs: false } });
    expect((await storedPasskey(synced.passkeyId)).backedUp).toBe(false);
  });

  it("refuses a disabled member", async () => {
    const member = await freshMember();
    await systemTxBypassingRls((tx) => tx.update(members).set({ status: "disabled" }).where(eq(members.id, member.id)));
    await expectRefused(member, {});
    expect((await lastAuditOf(member))!.reason).toMatch(/disabled/i);
  });

  it("refuses a malformed response body", async () => {
    const flow = newFlowToken();
    await startSignIn(flow);
    await expectAppError(completeSignIn({ id: "x" }, flow, testRequest), "bad_request");
    await startSignIn(flow);
    await expectAppError(completeSignIn("garbage", flow, testRequest), "bad_request");
  });

  it("the owner's passkey list is unchanged by all of this", async () => {
    expect(await passkeysOf(msp.owner.id)).toHaveLength(1);
  });
});
