import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, invites, members, sessions } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { SoftAuthenticator } from "@/test/soft-authenticator";
import {
  acceptInviteLink,
  addPasskey,
  contextFor,
  expectAppError,
  inviteMember,
  inviteTokenOf,
  newFlowToken,
  passkeysOf,
  seedMspDirectly,
  signIn,
  testRequest,
  uniqueEmail,
  type TestMsp,
} from "@/test/factories";
import { createInvite } from "@/lib/services/invites/create";
import { completeAddPasskey, startAddPasskey } from "./add";
import { listOwnPasskeys } from "./list";
import { listRecentPasskeyAdditions, PASSKEY_NOTICE_DAYS } from "./recent-additions";
import { removePasskey } from "./remove";
import { renamePasskey } from "./rename";

afterAll(closeDb);

let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Passkeys MSP" });
});

const freshMember = () => inviteMember(msp.owner, "technician");

describe("passkeys", () => {
  it("a member adds a second passkey; it is listed, audited, and signs in", async () => {
    const member = await freshMember();
    const laptop = new SoftAuthenticator({ backupEligible: true });
    const id = await addPasskey(member, laptop, "Laptop");
    const listed = await listOwnPasskeys(contextFor(member));
    expect(listed.map((p) => p.name)).toEqual(["First passkey", "Laptop"]);
    expect(listed[1]).toMatchObject({ id, backupEligible: true, backedUp: true, transports: ["internal", "hybrid"] });
    expect(JSON.stringify(listed)).not.toContain("publicKey");
    const session = await signIn(laptop);
    expect((await resolveSession(session.token))!.member.id).toBe(member.id);
    const [event] = await systemTxBypassingRls((tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.action, "passkey.registered"), eq(auditEvents.targetId, id))),
    );
    expect(event).toMatchObject({ actorId: member.id, targetLabel: "Laptop", metadata: { alert: true } });
  });

  it("adding a passkey needs a fresh step-up, in both steps", async () => {
    const member = await freshMember();
    await expectAppError(startAddPasskey(contextFor(member), newFlowToken(), { name: "Planted" }), "step_up_required");
    await expectAppError(startAddPasskey(contextFor(member, { stepUp: "stale" }), newFlowToken(), { name: "Planted" }), "step_up_required");
    const flow = newFlowToken();
    const options = await startAddPasskey(contextFor(member, { stepUp: "fresh" }), flow, { name: "Planted" });
    await expectAppError(completeAddPasskey(contextFor(member, { stepUp: "stale" }), new SoftAuthenticator().register(options), flow), "step_up_required");
    expect(await passkeysOf(member.id)).toHaveLength(1);
  });

  it("the member is told about an added passkey: when, from which browser and address, until it is removed or 14 days pass", async () => {
    const member = await freshMember();
    // Joining enrolled the first passkey: nothing to warn about.
    expect(await listRecentPasskeyAdditions(contextFor(member))).toEqual([]);
    const spare = new SoftAuthenticator();
    const id = await addPasskey(member, spare, "Spare key");
    const [notice] = await listRecentPasskeyAdditions(contextFor(member));
    expect(notice).toMatchObject({ passkeyId: id, name: "Spare key", ip: testRequest.ip, userAgent: testRequest.userAgent, browser: "Unknown browser" });
    expect(Date.now() - notice!.addedAt.getTime()).toBeLessThan(60_000);
    // Only to the member themselves.
    expect(await listRecentPasskeyAdditions(contextFor(msp.owner))).toEqual([]);
    const later = new Date(Date.now() + (PASSKEY_NOTICE_DAYS * 24 + 1) * 3600_000);
    expect(await listRecentPasskeyAdditions(contextFor(member), later)).toEqual([]);
    await removePasskey(contextFor(member, { stepUp: "fresh" }), id);
    expect(await listRecentPasskeyAdditions(contextFor(member))).toEqual([]);
  });

  it("add-passkey options exclude the member's existing passkeys and require UV and a resident key", async () => {
    const member = await freshMember();
    const options = await startAddPasskey(contextFor(member, { stepUp: "fresh" }), newFlowToken(), { name: "Phone" });
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([member.passkeyId]);
    expect(options.user.id).toBe(member.webauthnUserId);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.attestation).toBe("none");
  });

  it("an add-passkey ceremony started by one member cannot be completed by another", async () => {
    const member = await freshMember();
    const other = await freshMember();
    const flow = newFlowToken();
    const options = await startAddPasskey(contextFor(member, { stepUp: "fresh" }), flow, { name: "Mine" });
    await expectAppError(completeAddPasskey(contextFor(other, { stepUp: "fresh" }), new SoftAuthenticator().register(options), flow), "bad_request");
    expect(await passkeysOf(other.id)).toHaveLength(1);
  });

  it("add-passkey refuses a tampered registration (wrong origin, UV=0, BE=0 with BS=1)", async () => {
    const member = await freshMember();
    for (const tamper of [{ origin: "https://evil.example" }, { flags: { uv: false } }, { flags: { be: false, bs: true } }]) {
      const flow = newFlowToken();
      const options = await startAddPasskey(contextFor(member, { stepUp: "fresh" }), flow, { name: "Bad" });
      await expectAppError(completeAddPasskey(contextFor(member, { stepUp: "fresh" }), new SoftAuthenticator().register(options, tamper), flow), "bad_request");
    }
    expect(await passkeysOf(member.id)).toHaveLength(1);
  });

  describe("a credential id is registered once, ever", () => {
    it("registering a member's credential for another member via add-passkey is a conflict", async () => {
      const victim = await freshMember();
      const attacker = await freshMember();
      const ctx = contextFor(attacker, { stepUp: "fresh" });
      const flow = newFlowToken();
      const options = await startAddPasskey(ctx, flow, { name: "Stolen" });
      const response = victim.authenticator.register(options, { credential: victim.authenticator.credential });
      await expectAppError(completeAddPasskey(ctx, response, flow), "conflict");
      expect((await passkeysOf(victim.id)).map((p) => p.memberId)).toEqual([victim.id]);
      expect(await passkeysOf(attacker.id)).toHaveLength(1);
    });

    it("registering the same credential twice for the same member is a conflict", async () => {
      const member = await freshMember();
      const ctx = contextFor(member, { stepUp: "fresh" });
      const flow = newFlowToken();
      const options = await startAddPasskey(ctx, flow, { name: "Again" });
      await expectAppError(completeAddPasskey(ctx, member.authenticator.register(options, { credential: member.authenticator.credential }), flow), "conflict");
    });

    it("accepting an invite with an already registered credential is a conflict, and the invite stays usable", async () => {
      const victim = await freshMember();
      const email = uniqueEmail("dup-invite");
      const { invite, link } = await createInvite(contextFor(msp.owner), { email, displayName: "Dup", role: "technician" });
      await expect(acceptInviteLink(link, victim.authenticator, { credential: victim.authenticator.credential })).rejects.toMatchObject({
        code: "conflict",
      });
      const [row] = await systemTxBypassingRls((tx) => tx.select().from(invites).where(eq(invites.id, invite.id)));
      expect(row!.usedAt).toBeNull();
      const joined = await systemTxBypassingRls((tx) => tx.select().from(members).where(and(eq(members.mspId, msp.mspId), eq(members.email, email))));
      expect(joined).toHaveLength(0);
      await acceptInviteLink(link, new SoftAuthenticator());
      expect(inviteTokenOf(link)).toHaveLength(43);
    });

    it("across MSPs too", async () => {
      const other = await seedMspDirectly({ mspName: "Passkeys Other MSP" });
      const ctx = contextFor(other.owner, { stepUp: "fresh" });
      const flow = newFlowToken();
      const options = await startAddPasskey(ctx, flow, { name: "Cross-MSP" });
      await expectAppError(completeAddPasskey(ctx, msp.owner.authenticator.register(options, { credential: msp.owner.authenticator.credential }), flow), "conflict");
      expect((await passkeysOf(msp.owner.id)).map((p) => p.mspId)).toEqual([msp.mspId]);
    });
  });

  describe("removal", () => {
    it("is refused for the last passkey, even with a fresh step-up", async () => {
      const member = await freshMember();
      await expectAppError(removePasskey(contextFor(member, { stepUp: "fresh" }), member.passkeyId), "conflict");
      expect(await passkeysOf(member.id)).toHaveLength(1);
    });

    it("is refused without a fresh step-up", async () => {
      const member = await freshMember();
      await addPasskey(member, new SoftAuthenticator());
      await expectAppError(removePasskey(contextFor(member), member.passkeyId), "step_up_required");
      await expectAppError(removePasskey(contextFor(member, { stepUp: "stale" }), member.passkeyId), "step_up_required");
      expect(await passkeysOf(member.id)).toHaveLength(2);
    });

    it("is allowed with two passkeys and a fresh step-up; the removed one no longer signs in", async () => {
      const member = await freshMember();
      const spare = new SoftAuthenticator();
      await addPasskey(member, spare);
      await removePasskey(contextFor(member, { stepUp: "fresh" }), member.passkeyId);
      expect((await passkeysOf(member.id)).map((p) => p.id)).toEqual([spare.credential.id]);
      await expectAppError(signIn(member.authenticator), "unauthorized");
      await signIn(spare);
      const [event] = await systemTxBypassingRls((tx) =>
        tx.select().from(auditEvents).where(and(eq(auditEvents.action, "passkey.removed"), eq(auditEvents.targetId, member.passkeyId))),
      );
      expect(event).toMatchObject({ actorId: member.id, result: "success" });
      // Now it is the last one again.
      await expectAppError(removePasskey(contextFor(member, { stepUp: "fresh" }), spare.credential.id), "conflict");
    });

    it("ends the sessions the removed passkey opened, and only those, audited", async () => {
      const member = await freshMember();
      const spare = new SoftAuthenticator();
      await addPasskey(member, spare);
      const withSpare = await signIn(spare);
      const withFirst = await signIn(member.authenticator);
      // From the session the spare opened, remove the first passkey: the join session and the later
      // sign-in with it end; the spare's session stays.
      await removePasskey(contextFor(member, { stepUp: "fresh", sessionId: withSpare.sessionId }), member.passkeyId);
      expect(await resolveSession(member.session.token)).toBeNull();
      expect(await resolveSession(withFirst.token)).toBeNull();
      expect(await resolveSession(withSpare.token)).not.toBeNull();
      const ended = await systemTxBypassingRls((tx) => tx.select().from(sessions).where(and(eq(sessions.memberId, member.id), eq(sessions.endReason, "passkey_removed"))));
      expect(ended.map((e) => e.id).sort()).toEqual([member.session.sessionId, withFirst.sessionId].sort());
      const [event] = await systemTxBypassingRls((tx) =>
        tx.select().from(auditEvents).where(and(eq(auditEvents.action, "passkey.removed"), eq(auditEvents.targetId, member.passkeyId))),
      );
      expect(event).toMatchObject({ actorId: member.id, metadata: { sessionsEnded: 2 } });
    });

    it("removing the passkey that opened the current session ends that session too", async () => {
      const member = await freshMember();
      await addPasskey(member, new SoftAuthenticator());
      await removePasskey(contextFor(member, { stepUp: "fresh" }), member.passkeyId);
      expect(await resolveSession(member.session.token)).toBeNull();
    });

    it("two concurrent removals never leave a member without a passkey", async () => {
      const member = await freshMember();
      const spare = new SoftAuthenticator();
      await addPasskey(member, spare);
      const ctx = contextFor(member, { stepUp: "fresh" });
      const results = await Promise.allSettled([removePasskey(ctx, member.passkeyId), removePasskey(ctx, spare.credential.id)]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await passkeysOf(member.id)).toHaveLength(1);
    });

    it("another member's passkey is not found", async () => {
      const member = await freshMember();
      const other = await freshMember();
      await addPasskey(other, new SoftAuthenticator());
      await addPasskey(member, new SoftAuthenticator());
      await expectAppError(removePasskey(contextFor(member, { stepUp: "fresh" }), other.passkeyId), "not_found");
      await expectAppError(renamePasskey(contextFor(member), other.passkeyId, { name: "Mine now" }), "not_found");
      expect(await passkeysOf(other.id)).toHaveLength(2);
    });
  });

  it("rename changes the name and is audited", async () => {
    const member = await freshMember();
    await renamePasskey(contextFor(member), member.passkeyId, { name: "  YubiKey 5  " });
    expect((await passkeysOf(member.id))[0]!.name).toBe("YubiKey 5");
    await expect(renamePasskey(contextFor(member), member.passkeyId, { name: "" })).rejects.toThrow();
  });
});
