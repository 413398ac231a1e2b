import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, invites, members, passkeys, sessions } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { digest } from "@/lib/ids";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { SoftAuthenticator } from "@/test/soft-authenticator";
import {
  acceptInviteLink,
  contextFor,
  expectAppError,
  inviteMember,
  inviteTokenOf,
  newFlowToken,
  passkeysOf,
  seedMspDirectly,
  signIn,
  superuserSql,
  testRequest,
  uniqueEmail,
  type TestMember,
  type TestMsp,
} from "@/test/factories";
import { changeMemberRole } from "@/lib/services/members/change-role";
import { completeAcceptInvite, startAcceptInvite } from "./accept";
import { createInvite } from "./create";
import { listPendingInvites } from "./list";
import { describeInvite } from "./lookup";
import { reissueInvite } from "./reissue";
import { buildRegistrationOptions } from "@/lib/services/webauthn/registration";
import { revokeInvite } from "./revoke";

afterAll(closeDb);

let msp: TestMsp;
let admin: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Invites MSP" });
  admin = await inviteMember(msp.owner, "admin");
});

const ownerCtx = () => contextFor(msp.owner, { stepUp: "fresh" });
const newInvite = (role: "admin" | "technician" | "auditor" | "owner" = "technician", email = uniqueEmail("invitee")) =>
  createInvite(ownerCtx(), { email, displayName: "Ivy Invitee", role });

async function memberRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(members).where(eq(members.id, id)));
  return row!;
}

async function inviteRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(invites).where(eq(invites.id, id)));
  return row!;
}

describe("invites", () => {
  it("creates a one-time link; only its digest is stored; the page can describe it", async () => {
    const email = uniqueEmail("described");
    const { invite, link } = await newInvite("auditor", email);
    // The secret is in the fragment, which browsers send to no server.
    expect(link).toMatch(/^http:\/\/localhost:3000\/invite#[0-9A-Za-z]{43}$/);
    const token = inviteTokenOf(link);
    const row = await inviteRow(invite.id);
    expect(row.tokenDigest).toBe(digest(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(Date.now() + 71 * 3600_000).toBeLessThan(row.expiresAt.getTime());
    expect(await describeInvite(token)).toMatchObject({ mspName: "Invites MSP", email, role: "auditor", isRecovery: false });
    expect((await listPendingInvites(ownerCtx())).map((i) => i.id)).toContain(invite.id);
  });

  it("the link works once: the member joins with a session; a second acceptance is gone", async () => {
    const email = uniqueEmail("once");
    const { link } = await newInvite("technician", email);
    const auth = new SoftAuthenticator();
    const { session } = await acceptInviteLink(link, auth);
    const resolved = await resolveSession(session.token);
    expect(resolved).toMatchObject({ mspId: msp.mspId, member: { email, role: "technician" } });

    const token = inviteTokenOf(link);
    await expectAppError(startAcceptInvite(token, newFlowToken()), "gone");
    await expectAppError(describeInvite(token), "gone");
    // Even a completion prepared before the first one finished cannot use it again.
    await expectAppError(completeAcceptInvite(token, auth.register(await freshOptions()), newFlowToken(), testRequest), "gone");
    const joined = await systemTxBypassingRls((tx) => tx.select().from(members).where(and(eq(members.mspId, msp.mspId), eq(members.email, email))));
    expect(joined).toHaveLength(1);
  });

  it("two completions racing for the same link: exactly one wins", async () => {
    const { link } = await newInvite();
    const token = inviteTokenOf(link);
    const a = new SoftAuthenticator();
    const b = new SoftAuthenticator();
    const flowA = newFlowToken();
    const flowB = newFlowToken();
    const responseA = a.register(await startAcceptInvite(token, flowA));
    const responseB = b.register(await startAcceptInvite(token, flowB));
    const results = await Promise.allSettled([
      completeAcceptInvite(token, responseA, flowA, testRequest),
      completeAcceptInvite(token, responseB, flowB, testRequest),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "gone" });
  });

  it("an expired invite is refused, also between the two steps", async () => {
    const { invite, link } = await newInvite();
    const token = inviteTokenOf(link);
    const flow = newFlowToken();
    const options = await startAcceptInvite(token, flow);
    await systemTxBypassingRls((tx) => tx.update(invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invites.id, invite.id)));
    await expectAppError(completeAcceptInvite(token, new SoftAuthenticator().register(options), flow, testRequest), "gone");
    await expectAppError(startAcceptInvite(token, newFlowToken()), "gone");
    expect((await listPendingInvites(ownerCtx())).map((i) => i.id)).not.toContain(invite.id);
  });

  it("a revoked invite is refused, and the revocation is audited", async () => {
    const { invite, link } = await newInvite();
    const token = inviteTokenOf(link);
    const flow = newFlowToken();
    const options = await startAcceptInvite(token, flow);
    await revokeInvite(ownerCtx(), invite.id);
    await expectAppError(completeAcceptInvite(token, new SoftAuthenticator().register(options), flow, testRequest), "gone");
    await expectAppError(startAcceptInvite(token, newFlowToken()), "gone");
    await expectAppError(revokeInvite(ownerCtx(), invite.id), "not_found");
    const [event] = await systemTxBypassingRls((tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.action, "member.invite_revoked"), eq(auditEvents.targetId, invite.id))),
    );
    expect(event).toMatchObject({ actorId: msp.owner.id, result: "success" });
  });

  it("a newer invite for the same email replaces the older link", async () => {
    const email = uniqueEmail("twice");
    const first = await newInvite("technician", email);
    const second = await newInvite("auditor", email);
    await expectAppError(startAcceptInvite(inviteTokenOf(first.link), newFlowToken()), "gone");
    const { session } = await acceptInviteLink(second.link, new SoftAuthenticator());
    expect((await resolveSession(session.token))!.member.role).toBe("auditor");
  });

  it("a challenge from one invite cannot complete another", async () => {
    const one = await newInvite();
    const two = await newInvite();
    const flow = newFlowToken();
    const options = await startAcceptInvite(inviteTokenOf(one.link), flow);
    await expectAppError(
      completeAcceptInvite(inviteTokenOf(two.link), new SoftAuthenticator().register(options), flow, testRequest),
      "gone",
    );
  });

  it("a passkey that fails verification does not use up the invite", async () => {
    const { link } = await newInvite();
    const token = inviteTokenOf(link);
    const flow = newFlowToken();
    const options = await startAcceptInvite(token, flow);
    await expectAppError(
      completeAcceptInvite(token, new SoftAuthenticator().register(options, { origin: "https://evil.example" }), flow, testRequest),
      "bad_request",
    );
    await expectAppError(
      completeAcceptInvite(token, new SoftAuthenticator().register(options, { flags: { be: false, bs: true } }), flow, testRequest),
      "bad_request",
    );
    await acceptInviteLink(link, new SoftAuthenticator());
  });

  it("an admin cannot invite an owner; an admin can invite a technician", async () => {
    await expectAppError(createInvite(contextFor(admin), { email: uniqueEmail(), displayName: "Would-be Owner", role: "owner" }), "forbidden");
    const { invite } = await createInvite(contextFor(admin), { email: uniqueEmail(), displayName: "Tech", role: "technician" });
    expect(invite.createdBy).toBe(admin.id);
  });

  it("technicians and auditors cannot invite", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    const auditor = await inviteMember(msp.owner, "auditor");
    for (const who of [tech, auditor]) {
      await expectAppError(createInvite(contextFor(who), { email: uniqueEmail(), displayName: "X", role: "technician" }), "forbidden");
    }
  });

  it("inviting an existing member's email is a conflict (case-insensitively)", async () => {
    const existing = await inviteMember(msp.owner, "technician");
    await expectAppError(newInvite("technician", existing.email), "conflict");
    await expectAppError(newInvite("technician", existing.email.toUpperCase()), "conflict");
  });

  it("invites are scoped to their MSP: another MSP's owner cannot revoke one", async () => {
    const other = await seedMspDirectly({ mspName: "Other MSP" });
    const { invite } = await newInvite();
    await expectAppError(revokeInvite(contextFor(other.owner), invite.id), "not_found");
    expect(await listPendingInvites(contextFor(other.owner))).toEqual([]);
    expect((await inviteRow(invite.id)).revokedAt).toBeNull();
  });

  describe("recovery invite", () => {
    it("needs a fresh step-up and the right to manage the member", async () => {
      const tech = await inviteMember(msp.owner, "technician");
      await expectAppError(reissueInvite(contextFor(msp.owner), tech.id), "step_up_required");
      await expectAppError(reissueInvite(contextFor(admin, { stepUp: "fresh" }), msp.owner.id), "forbidden");
      await expectAppError(reissueInvite(contextFor(tech, { stepUp: "fresh" }), admin.id), "forbidden");
    });

    it("replaces the member's passkeys, ends their old sessions, keeps their identity", async () => {
      const lost = await inviteMember(msp.owner, "technician");
      const otherSession = await signIn(lost.authenticator);
      const { link, invite } = await reissueInvite(contextFor(msp.owner, { stepUp: "fresh" }), lost.id);
      expect(invite.memberId).toBe(lost.id);
      expect(await describeInvite(inviteTokenOf(link))).toMatchObject({ isRecovery: true, email: lost.email });

      const replacement = new SoftAuthenticator();
      const { session, passkeyId } = await acceptInviteLink(link, replacement);
      // The member keeps their WebAuthn user handle, id and role.
      expect(replacement.credential.userHandle).toBe(lost.webauthnUserId);
      expect(await resolveSession(session.token)).toMatchObject({ member: { id: lost.id, role: "technician" } });

      const keys = await systemTxBypassingRls((tx) => tx.select().from(passkeys).where(eq(passkeys.memberId, lost.id)));
      expect(keys.map((k) => k.id)).toEqual([passkeyId]);
      expect(await resolveSession(lost.session.token)).toBeNull();
      expect(await resolveSession(otherSession.token)).toBeNull();
      const ended = await systemTxBypassingRls((tx) =>
        tx.select().from(sessions).where(eq(sessions.memberId, lost.id)).orderBy(asc(sessions.createdAt)),
      );
      expect(ended.filter((s) => s.endReason === "recovered").map((s) => s.id).sort()).toEqual(
        [lost.session.sessionId, otherSession.sessionId].sort(),
      );

      // The old authenticator no longer signs in; the new one does.
      await expectAppError(signIn(lost.authenticator), "unauthorized");
      await signIn(replacement);

      const [event] = await systemTxBypassingRls((tx) =>
        tx.select().from(auditEvents).where(and(eq(auditEvents.action, "member.recovered"), eq(auditEvents.targetId, lost.id))),
      );
      expect(event).toMatchObject({ result: "success", metadata: { invite: invite.id, role: "technician" } });
    });

    it("never re-enables a disabled member, however the link was made", async () => {
      const gone = await inviteMember(msp.owner, "auditor");
      // Issued while disabled…
      await systemTxBypassingRls((tx) => tx.update(members).set({ status: "disabled", disabledAt: new Date() }).where(eq(members.id, gone.id)));
      const whileDisabled = await reissueInvite(contextFor(msp.owner, { stepUp: "fresh" }), gone.id);
      await expectAppError(describeInvite(inviteTokenOf(whileDisabled.link)), "gone");
      await expectAppError(acceptInviteLink(whileDisabled.link, new SoftAuthenticator()), "gone");
      // …or while active, then the member disabled, even between the two steps of acceptance.
      await systemTxBypassingRls((tx) => tx.update(members).set({ status: "active", disabledAt: null }).where(eq(members.id, gone.id)));
      const { link } = await reissueInvite(contextFor(msp.owner, { stepUp: "fresh" }), gone.id);
      const token = inviteTokenOf(link);
      const flow = newFlowToken();
      const options = await startAcceptInvite(token, flow);
      await systemTxBypassingRls((tx) => tx.update(members).set({ status: "disabled", disabledAt: new Date() }).where(eq(members.id, gone.id)));
      const error = await expectAppError(completeAcceptInvite(token, new SoftAuthenticator().register(options), flow, testRequest), "gone");
      expect(error.message).toMatch(/disabled/);
      expect(await memberRow(gone.id)).toMatchObject({ status: "disabled" });
      // The old passkey is still the member's, and still refused at sign-in.
      expect((await passkeysOf(gone.id)).map((p) => p.id)).toEqual([gone.passkeyId]);
      await expectAppError(signIn(gone.authenticator), "unauthorized");
    });

    it("is refused once the member's role has changed since it was made", async () => {
      const promoted = await inviteMember(msp.owner, "technician");
      const { link } = await reissueInvite(contextFor(msp.owner, { stepUp: "fresh" }), promoted.id);
      await changeMemberRole(contextFor(msp.owner, { stepUp: "fresh" }), promoted.id, { role: "admin" });
      const error = await expectAppError(acceptInviteLink(link, new SoftAuthenticator()), "gone");
      expect(error.message).toMatch(/role has changed/);
      expect(await passkeysOf(promoted.id)).toHaveLength(1);
    });
  });

  describe("a link grants nothing its maker could not grant today", () => {
    it("an admin's invite for an admin is refused once that admin is demoted or disabled", async () => {
      const maker = await inviteMember(msp.owner, "admin");
      const demoted = await createInvite(contextFor(maker, { stepUp: "fresh" }), { email: uniqueEmail("by-demoted"), displayName: "A", role: "admin" });
      const technicianLink = await createInvite(contextFor(maker, { stepUp: "fresh" }), { email: uniqueEmail("by-disabled"), displayName: "T", role: "technician" });
      await changeMemberRole(contextFor(msp.owner, { stepUp: "fresh" }), maker.id, { role: "technician" });
      await expectAppError(describeInvite(inviteTokenOf(demoted.link)), "gone");
      await expectAppError(acceptInviteLink(demoted.link, new SoftAuthenticator()), "gone");
      // A technician cannot invite at all, so even the technician invite is refused now.
      await expectAppError(acceptInviteLink(technicianLink.link, new SoftAuthenticator()), "gone");
      await changeMemberRole(contextFor(msp.owner, { stepUp: "fresh" }), maker.id, { role: "admin" });
      await systemTxBypassingRls((tx) => tx.update(members).set({ status: "disabled", disabledAt: new Date() }).where(eq(members.id, maker.id)));
      await expectAppError(acceptInviteLink(technicianLink.link, new SoftAuthenticator()), "gone");
      // With its maker active and an admin again, the untouched link works.
      await systemTxBypassingRls((tx) => tx.update(members).set({ status: "active", disabledAt: null }).where(eq(members.id, maker.id)));
      await acceptInviteLink(technicianLink.link, new SoftAuthenticator());
    });

    it("a link for an email that became a member meanwhile is refused, not a server error", async () => {
      const email = uniqueEmail("raced");
      const { link } = await newInvite("technician", email);
      await inviteMember(msp.owner, "technician", { email });
      await expectAppError(acceptInviteLink(link, new SoftAuthenticator()), "gone");
    });
  });

  it("inviting an admin or owner needs a fresh step-up; other roles do not", async () => {
    for (const role of ["admin", "owner"] as const) {
      await expectAppError(createInvite(contextFor(msp.owner), { email: uniqueEmail(), displayName: "X", role }), "step_up_required");
      await expectAppError(createInvite(contextFor(msp.owner, { stepUp: "stale" }), { email: uniqueEmail(), displayName: "X", role }), "step_up_required");
    }
    await createInvite(contextFor(msp.owner, { stepUp: "fresh" }), { email: uniqueEmail(), displayName: "X", role: "admin" });
    await createInvite(contextFor(msp.owner), { email: uniqueEmail(), displayName: "X", role: "technician" });
  });

  it("no invite token or link ever reaches the audit log", async () => {
    const { link } = await newInvite();
    const token = inviteTokenOf(link);
    const sql = superuserSql();
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_events a where a::text like ${`%${token}%`}`;
      expect(row!.n).toBe(0);
    } finally {
      await sql.end();
    }
  });
});

/** Registration options for a throwaway registration (the challenge does not matter to the test). */
async function freshOptions() {
  return buildRegistrationOptions({ userHandle: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", email: "x@example.test", displayName: "X", excludeCredentialIds: [] });
}
