import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { members, sessions, webauthnChallenges } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { env } from "@/lib/env";
import { disableMember } from "@/lib/services/members/disable";
import { enableMember } from "@/lib/services/members/enable";
import { startSignIn } from "@/lib/services/auth/sign-in";
import { digest } from "@/lib/ids";
import {
  contextFor,
  newFlowToken,
  expectAppError,
  inviteMember,
  seedMspDirectly,
  signIn,
  type TestMember,
  type TestMsp,
} from "@/test/factories";
import { cleanupExpired } from "./cleanup";
import { endOwnSession } from "./end";
import { listOwnSessions } from "./list";
import { resolveSession } from "./resolve";

afterAll(closeDb);

let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Sessions MSP" });
});

const freshMember = () => inviteMember(msp.owner, "technician");

async function sessionRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(sessions).where(eq(sessions.id, id)));
  return row!;
}

async function setSession(id: string, values: Partial<typeof sessions.$inferInsert>) {
  await systemTxBypassingRls((tx) => tx.update(sessions).set(values).where(eq(sessions.id, id)));
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("sessions", () => {
  it("resolveSession returns the signed-in member, MSP and expiry", async () => {
    const member = await freshMember();
    const resolved = await resolveSession(member.session.token);
    expect(resolved).toEqual({
      sessionId: member.session.sessionId,
      mspId: msp.mspId,
      mspName: "Sessions MSP",
      member: { id: member.id, email: member.email, displayName: member.displayName, role: "technician", timeZone: null },
      steppedUpAt: expect.any(Date),
      expiresAt: member.session.expiresAt,
    });
    const lifetimeHours = (member.session.expiresAt.getTime() - Date.now()) / 3600_000;
    expect(lifetimeHours).toBeGreaterThan(env.SESSION_ABSOLUTE_HOURS - 0.1);
    expect(lifetimeHours).toBeLessThanOrEqual(env.SESSION_ABSOLUTE_HOURS);
  });

  it("stores only a digest of the token", async () => {
    const member = await freshMember();
    const row = await sessionRow(member.session.sessionId);
    expect(row.tokenDigest).not.toBe(member.session.token);
    expect(JSON.stringify(row)).not.toContain(member.session.token);
  });

  it("returns null for a missing, unknown or oversized token", async () => {
    expect(await resolveSession(undefined)).toBeNull();
    expect(await resolveSession("")).toBeNull();
    expect(await resolveSession("not-a-session-token")).toBeNull();
    expect(await resolveSession("x".repeat(101))).toBeNull();
  });

  it("touches last_seen_at when it is more than a minute old", async () => {
    const member = await freshMember();
    await setSession(member.session.sessionId, { lastSeenAt: minutesAgo(5) });
    expect(await resolveSession(member.session.token)).not.toBeNull();
    const row = await sessionRow(member.session.sessionId);
    expect(Date.now() - row.lastSeenAt.getTime()).toBeLessThan(30_000);
  });

  it("an idle session ends", async () => {
    const member = await freshMember();
    await setSession(member.session.sessionId, { lastSeenAt: minutesAgo(env.SESSION_IDLE_MINUTES + 1) });
    expect(await resolveSession(member.session.token)).toBeNull();
    const row = await sessionRow(member.session.sessionId);
    expect(row.endedAt).toBeInstanceOf(Date);
    expect(row.endReason).toBe("idle");
    // Ended for good: fresh activity does not revive it.
    await setSession(member.session.sessionId, { lastSeenAt: new Date() });
    expect(await resolveSession(member.session.token)).toBeNull();
  });

  it("a session just inside the idle window still works", async () => {
    const member = await freshMember();
    await setSession(member.session.sessionId, { lastSeenAt: minutesAgo(env.SESSION_IDLE_MINUTES - 1) });
    expect(await resolveSession(member.session.token)).not.toBeNull();
  });

  it("a session past its absolute expiry ends, however active", async () => {
    const member = await freshMember();
    await setSession(member.session.sessionId, { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() });
    expect(await resolveSession(member.session.token)).toBeNull();
    expect(await sessionRow(member.session.sessionId)).toMatchObject({ endReason: "expired" });
  });

  it("signing out ends the session; other sessions of the member stay", async () => {
    const member = await freshMember();
    const second = await signIn(member.authenticator);
    await endOwnSession(contextFor(member), member.session.sessionId, "signed_out");
    expect(await resolveSession(member.session.token)).toBeNull();
    expect(await sessionRow(member.session.sessionId)).toMatchObject({ endReason: "signed_out" });
    expect(await resolveSession(second.token)).not.toBeNull();
    // Ending it again, or ending someone else's session, is not found.
    await expectAppError(endOwnSession(contextFor(member), member.session.sessionId, "signed_out"), "not_found");
    await expectAppError(endOwnSession(contextFor(msp.owner), second.sessionId, "ended_by_member"), "not_found");
  });

  it("lists the member's own open sessions only", async () => {
    const member = await freshMember();
    const second = await signIn(member.authenticator);
    const listed = await listOwnSessions(contextFor(member));
    expect(listed.map((s) => s.id).sort()).toEqual([member.session.sessionId, second.sessionId].sort());
    expect(JSON.stringify(listed)).not.toContain(member.session.token);
  });

  describe("disabling a member", () => {
    let target: TestMember;
    let secondSession: { token: string; sessionId: string };

    beforeAll(async () => {
      target = await freshMember();
      secondSession = await signIn(target.authenticator);
    });

    it("needs a fresh step-up", async () => {
      await expectAppError(disableMember(contextFor(msp.owner), target.id), "step_up_required");
      await expectAppError(disableMember(contextFor(msp.owner, { stepUp: "stale" }), target.id), "step_up_required");
      await expectAppError(disableMember(contextFor(msp.owner, { stepUp: new Date(Date.now() - 5 * 60_000 - 1000) }), target.id), "step_up_required");
      expect(await resolveSession(target.session.token)).not.toBeNull();
    });

    it("ends all their sessions at once", async () => {
      await disableMember(contextFor(msp.owner, { stepUp: "fresh" }), target.id);
      expect(await resolveSession(target.session.token)).toBeNull();
      expect(await resolveSession(secondSession.token)).toBeNull();
      for (const id of [target.session.sessionId, secondSession.sessionId]) {
        expect(await sessionRow(id)).toMatchObject({ endReason: "member_disabled", endedAt: expect.any(Date) });
      }
      await expectAppError(signIn(target.authenticator), "unauthorized");
    });

    it("re-enabling lets them sign in again, but does not revive old sessions", async () => {
      await enableMember(contextFor(msp.owner, { stepUp: "fresh" }), target.id);
      expect(await resolveSession(target.session.token)).toBeNull();
      const session = await signIn(target.authenticator);
      expect(await resolveSession(session.token)).not.toBeNull();
    });
  });

  it("a disabled member's session stops resolving even if it was never ended", async () => {
    const member = await freshMember();
    await systemTxBypassingRls((tx) => tx.update(members).set({ status: "disabled" }).where(eq(members.id, member.id)));
    expect(await resolveSession(member.session.token)).toBeNull();
  });

  it("cleanup deletes expired challenges and long-ended sessions, and keeps live ones", async () => {
    const member = await freshMember();
    const recent = await signIn(member.authenticator);
    await setSession(member.session.sessionId, { endedAt: new Date(Date.now() - 31 * 86_400_000), endReason: "signed_out" });
    const staleFlow = newFlowToken();
    const liveFlow = newFlowToken();
    await startSignIn(staleFlow);
    await startSignIn(liveFlow);
    await systemTxBypassingRls((tx) =>
      tx.update(webauthnChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(webauthnChallenges.flowDigest, digest(staleFlow))),
    );
    const result = await cleanupExpired();
    expect(result.challenges).toBeGreaterThanOrEqual(1);
    expect(result.endedSessions).toBeGreaterThanOrEqual(1);
    const left = await systemTxBypassingRls((tx) => tx.select().from(sessions).where(eq(sessions.memberId, member.id)));
    expect(left.map((s) => s.id)).toEqual([recent.sessionId]);
    const challenges = await systemTxBypassingRls((tx) => tx.select({ flow: webauthnChallenges.flowDigest }).from(webauthnChallenges));
    expect(challenges.map((c) => c.flow)).toContain(digest(liveFlow));
    expect(challenges.map((c) => c.flow)).not.toContain(digest(staleFlow));
  });
});
