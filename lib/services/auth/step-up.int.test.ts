import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents, sessions } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { systemContext } from "@/lib/services/context";
import { endOwnSession } from "@/lib/services/sessions/end";
import { resolveSession } from "@/lib/services/sessions/resolve";
import {
  contextFor,
  expectAppError,
  inviteMember,
  newFlowToken,
  seedMspDirectly,
  stepUp,
  testRequest,
  type TestMember,
  type TestMsp,
} from "@/test/factories";
import { completeSignIn, startSignIn } from "./sign-in";
import { completeStepUp, startStepUp } from "./step-up";

afterAll(closeDb);

let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Step-up MSP" });
});

const freshMember = () => inviteMember(msp.owner, "admin");

async function lastStepUpEvent(member: TestMember) {
  const [row] = await systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.mspId, member.mspId), eq(auditEvents.action, "auth.step_up")))
      .orderBy(desc(auditEvents.seq))
      .limit(1),
  );
  return row;
}

describe("step-up", () => {
  it("marks the session stepped-up and rotates its token (old token stops working)", async () => {
    const member = await freshMember();
    await systemTxBypassingRls((tx) => tx.update(sessions).set({ steppedUpAt: null }).where(eq(sessions.id, member.session.sessionId)));
    const before = await resolveSession(member.session.token);
    expect(before!.steppedUpAt).toBeNull();

    const { token } = await stepUp(member);
    expect(token).not.toBe(member.session.token);
    expect(await resolveSession(member.session.token)).toBeNull();
    const after = await resolveSession(token);
    expect(after).toMatchObject({ sessionId: member.session.sessionId, member: { id: member.id } });
    expect(Date.now() - after!.steppedUpAt!.getTime()).toBeLessThan(60_000);
    expect(await lastStepUpEvent(member)).toMatchObject({ result: "success", actorId: member.id, targetId: member.session.sessionId });
  });

  it("offers only the member's own passkeys", async () => {
    const member = await freshMember();
    const options = await startStepUp(contextFor(member), newFlowToken());
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([member.passkeyId]);
    expect(options.userVerification).toBe("required");
  });

  it("a sign-in challenge cannot complete a step-up", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startSignIn(flow);
    await expectAppError(completeStepUp(contextFor(member), member.authenticator.authenticate(options), flow), "bad_request");
  });

  it("a step-up challenge cannot complete a sign-in", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startStepUp(contextFor(member), flow);
    await expectAppError(completeSignIn(member.authenticator.authenticate(options), flow, testRequest), "bad_request");
  });

  it("with both ceremonies pending in one browser, a sign-in response does not pass as a step-up", async () => {
    const member = await freshMember();
    const ctx = contextFor(member);
    const flow = newFlowToken();
    await startStepUp(ctx, flow);
    const signInOptions = await startSignIn(flow);
    await expectAppError(completeStepUp(ctx, member.authenticator.authenticate(signInOptions), flow), "unauthorized");
    expect(await lastStepUpEvent(member)).toMatchObject({ result: "failure", targetId: member.id });
  });

  it("refuses another member's passkey, and audits it", async () => {
    const member = await freshMember();
    const other = await freshMember();
    const ctx = contextFor(member);
    const flow = newFlowToken();
    const options = await startStepUp(ctx, flow);
    const response = other.authenticator.authenticate(options, { credential: other.authenticator.credential });
    await expectAppError(completeStepUp(ctx, response, flow), "unauthorized");
    const event = await lastStepUpEvent(other);
    expect(event).toMatchObject({ result: "failure", targetId: other.id });
    expect(event!.reason).toMatch(/another member/);
  });

  // WebAuthn §7.2 step 6: with the member identified beforehand, a present userHandle must be theirs.
  it("refuses a user handle that is not the member's", async () => {
    const member = await freshMember();
    const other = await freshMember();
    const ctx = contextFor(member);
    const flow = newFlowToken();
    const options = await startStepUp(ctx, flow);
    await expectAppError(completeStepUp(ctx, member.authenticator.authenticate(options, { userHandle: other.webauthnUserId }), flow), "unauthorized");
  });

  it("accepts a step-up whose assertion omits the user handle (allowed when the member is known)", async () => {
    const member = await freshMember();
    const ctx = contextFor(member);
    const flow = newFlowToken();
    const options = await startStepUp(ctx, flow);
    await completeStepUp(ctx, member.authenticator.authenticate(options, { userHandle: null }), flow);
  });

  it("refuses UV=0 and a wrong origin", async () => {
    const member = await freshMember();
    const ctx = contextFor(member);
    for (const tamper of [{ flags: { uv: false } }, { origin: "https://evil.example" }]) {
      const flow = newFlowToken();
      const options = await startStepUp(ctx, flow);
      await expectAppError(completeStepUp(ctx, member.authenticator.authenticate(options, tamper), flow), "unauthorized");
    }
  });

  it("a step-up started in one session cannot complete in another", async () => {
    const member = await freshMember();
    const flow = newFlowToken();
    const options = await startStepUp(contextFor(member), flow);
    const otherSession = contextFor(member, { sessionId: "ses_someotherone" });
    await expectAppError(completeStepUp(otherSession, member.authenticator.authenticate(options), flow), "bad_request");
  });

  it("refuses a step-up in a session that has ended", async () => {
    const member = await freshMember();
    const ctx = contextFor(member);
    const flow = newFlowToken();
    const options = await startStepUp(ctx, flow);
    await endOwnSession(ctx, member.session.sessionId, "signed_out");
    await expectAppError(completeStepUp(ctx, member.authenticator.authenticate(options), flow), "unauthorized");
  });

  it("is for members only", async () => {
    await expectAppError(startStepUp(systemContext(msp.mspId, "test"), newFlowToken()), "forbidden");
  });
});
