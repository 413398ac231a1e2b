import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues, queue } from "@/lib/queue/producer";
import { systemContext } from "@/lib/services/context";
import { createDelegation } from "@/lib/services/delegations/create";
import { setMisbehaviour } from "@/test/entra";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, superuserSql, type TestMember, type TestMsp } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { accountsOfGrant, auditOf, deleteQueueKeys, readGrant, stepsOf, useTestQueuePrefix, waitFor } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { endGrant } from "./end";
import { expireGrant } from "./expire";
import { getGrant } from "./get";
import { extendGrant } from "./extend";
import { pullKillSwitch } from "./kill-switch";
import { previewKillSwitch } from "./preview-kill-switch";
import { provisionGrant } from "./provision";
import { requestGrant } from "./request";

// Ending access before its time: the technician ends, an admin revokes, the kill switch ends everything of
// one customer or of the MSP; and extending within the policy's maximum.

const prefix = useTestQueuePrefix("end");
let msp: TestMsp;
let sql: postgres.Sql;

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "End MSP" });
  sql = superuserSql();
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await sql.end();
  await closeDb();
});

const justification = "Ticket 4004: ending access early";

type Setup = Awaited<ReturnType<typeof jitReadyCustomer>>;

async function grantFor(setup: Setup, technician: TestMember = setup.technician, extra: { durationMinutes?: number; startAt?: Date } = {}) {
  return requestGrant(contextFor(technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: extra.durationMinutes ?? 30, justification, startAt: extra.startAt });
}

async function activeGrant(setup: Setup, technician: TestMember = setup.technician, durationMinutes = 30) {
  const grant = await grantFor(setup, technician, { durationMinutes });
  expect(await provisionGrant(systemContext(setup.technician.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
  return readGrant(setup.technician.mspId, grant.id);
}

/** A second technician with the same delegation on the customer. */
async function anotherTechnician(owner: TestMember, setup: Setup, maxDurationMinutes = 480) {
  const technician = await inviteMember(owner, "technician");
  await createDelegation(contextFor(owner), { memberId: technician.id, customerId: setup.customer.id, accessLevelIds: [setup.level.id], maxDurationMinutes });
  return technician;
}

async function expiryJobsOf(grantId: string) {
  const jobs = await queue("expiry").getJobs(["waiting", "prioritized", "delayed"]);
  return jobs.filter((j) => j.data.grantId === grantId);
}

describe("ending early", () => {
  it("the technician ends their own grant: expiry starts at once and the grant ends", async () => {
    const setup = await jitReadyCustomer(msp);
    const grant = await activeGrant(setup);
    const stranger = await anotherTechnician(msp.owner, setup);
    await expectAppError(endGrant(contextFor(stranger), grant.id, "ended_by_technician"), "not_found");
    await expectAppError(endGrant(contextFor(setup.technician), grant.id, "revoked", { reason: "Not mine to take" }), "forbidden");

    const ending = await endGrant(contextFor(setup.technician), grant.id, "ended_by_technician");
    expect(ending).toMatchObject({ state: "expiring", endReason: "ended_by_technician", endRequestedBy: setup.technician.id });
    const jobs = await expiryJobsOf(grant.id);
    expect(jobs.some((j) => /-now-\d+$/.test(j.id!) && (j.opts.delay ?? 0) === 0)).toBe(true);

    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    const row = await readGrant(msp.mspId, grant.id);
    expect(row.usableTo!.getTime()).toBeLessThan(grant.endsAt!.getTime());
    const [account] = (await accountsOfGrant(setup.tenant.id, grant)).users;
    expect(account).toMatchObject({ accountEnabled: false, roles: [] });
    await expectAppError(endGrant(contextFor(setup.technician), grant.id, "ended_by_technician"), "conflict");
    const [expiring] = await auditOf(sql, msp.mspId, { action: "grant.expiring", targetId: grant.id });
    expect(expiring).toMatchObject({ actor_type: "member", actor_id: setup.technician.id });
    // The timeline names who ended it, among Stint's steps.
    expect((await getGrant(contextFor(msp.owner), grant.id)).acts).toEqual([expect.objectContaining({ label: `Ended early by ${setup.technician.displayName}`, detail: null })]);
  });

  it("an admin revokes a technician's grant: it ends as revoked", async () => {
    const setup = await jitReadyCustomer(msp);
    const grant = await activeGrant(setup);
    const admin = await inviteMember(msp.owner, "admin");

    await expectValidation(endGrant(contextFor(admin), grant.id, "revoked"), "reason");
    await expectValidation(endGrant(contextFor(admin), grant.id, "revoked", { reason: "  no " }), "reason");
    const reason = "Ticket 4005 closed; the customer asked us to stop";
    expect(await endGrant(contextFor(admin), grant.id, "revoked", { reason })).toMatchObject({ state: "expiring", endReason: "revoked", endRequestedBy: admin.id, revokeReason: reason });
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "revoked" });
    const [account] = (await accountsOfGrant(setup.tenant.id, grant)).users;
    expect(account).toMatchObject({ accountEnabled: false, roles: [] });
    const actions = (await auditOf(sql, msp.mspId, { targetId: grant.id })).map((e) => `${e.action}:${e.actor_id}`);
    expect(actions.slice(-2)).toEqual([`grant.expiring:${admin.id}`, "grant.revoked:grant.expire"]);
    // The reason is in the audit event and on the timeline, where the technician reads it.
    const [expiring] = await auditOf(sql, msp.mspId, { action: "grant.expiring", targetId: grant.id });
    expect(expiring!.reason).toBe(reason);
    const act = (await stepsOf(msp.mspId, grant.id)).find((st) => st.step === "revoke_requested");
    expect(act).toMatchObject({ status: "succeeded", detail: `${admin.email}: ${reason}` });
    const seen = await getGrant(contextFor(setup.technician), grant.id);
    expect(seen.grant.revokeReason).toBe(reason);
    // The revoke is a step of the timeline already (who and why): it is not repeated as an act.
    expect(seen.acts).toEqual([]);
  });

  it("revoking a scheduled grant ends it before any account exists", async () => {
    const setup = await jitReadyCustomer(msp);
    const grant = await grantFor(setup, setup.technician, { startAt: new Date(Date.now() + 3600_000) });
    expect(await endGrant(contextFor(msp.owner), grant.id, "revoked", { reason: "The work was cancelled" })).toMatchObject({ state: "revoked", revokeReason: "The work was cancelled" });
    await sql`update grants set start_at = now() where id = ${grant.id}`;
    expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "revoked", skipped: true });
    expect((await accountsOfGrant(setup.tenant.id, grant)).users).toEqual([]);
  });
});

describe("extending", () => {
  it("extends within the maximum, audited with a new timer; refuses beyond it, naming the minutes left", async () => {
    const setup = await jitReadyCustomer(msp, { maxDurationMinutes: 120 });
    const grant = await activeGrant(setup, setup.technician, 60);
    const ctx = contextFor(setup.technician);

    const extended = await extendGrant(ctx, grant.id, { minutes: 30 });
    expect(extended.extendedMinutes).toBe(30);
    expect(extended.endsAt!.getTime()).toBe(grant.endsAt!.getTime() + 30 * 60_000);
    const [event] = await auditOf(sql, msp.mspId, { action: "grant.extended", targetId: grant.id });
    expect(event).toMatchObject({ actor_id: setup.technician.id, metadata: { minutes: 30, totalMinutes: 90, endsAt: extended.endsAt!.toISOString() } });
    const timers = (await expiryJobsOf(grant.id)).map((j) => j.id);
    expect(timers).toEqual(expect.arrayContaining([`expire-${grant.id}-${grant.endsAt!.getTime()}`, `expire-${grant.id}-${extended.endsAt!.getTime()}`]));
    // The old timer fires at the old end: the grant was extended, so it does nothing.
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "active", skipped: true });

    const err = await expectAppError(extendGrant(ctx, grant.id, { minutes: 60 }), "validation_failed");
    expect(err.message).toBe("minutes: at most 30 more minutes (the maximum here is 120 minutes in all).");
    expect(err.field).toBe("minutes");
    expect((await readGrant(msp.mspId, grant.id)).endsAt!.getTime()).toBe(extended.endsAt!.getTime());

    const full = await extendGrant(ctx, grant.id, { minutes: 30 });
    expect(full.endsAt!.getTime()).toBe(grant.endsAt!.getTime() + 60 * 60_000);
    const none = await expectAppError(extendGrant(ctx, grant.id, { minutes: 5 }), "validation_failed");
    expect(none.message).toBe("minutes: at most 0 more minutes (the maximum here is 120 minutes in all).");
    expect(await auditOf(sql, msp.mspId, { action: "grant.extended", targetId: grant.id })).toHaveLength(2);
    expect((await getGrant(ctx, grant.id)).acts.map((a) => a.label)).toEqual([`Extended by 30 min by ${setup.technician.displayName}`, `Extended by 30 min by ${setup.technician.displayName}`]);

    await expectAppError(extendGrant(contextFor(msp.owner), grant.id, { minutes: 5 }), "not_found");
  });
});

describe("kill switch", () => {
  it("for one customer: needs a fresh step-up; scheduled grants are revoked, active ones expire; other customers untouched", async () => {
    const killed = await jitReadyCustomer(msp);
    const spared = await jitReadyCustomer(msp);
    const active = await activeGrant(killed);
    const later = await anotherTechnician(msp.owner, killed);
    const scheduled = await grantFor(killed, later, { startAt: new Date(Date.now() + 3600_000) });
    const other = await activeGrant(spared);
    const input = { customerId: killed.customer.id, reason: "Customer reported a compromise" };

    // Before anyone confirms: the input is checked as the switch checks it, and the count is per customer.
    await expectValidation(previewKillSwitch(contextFor(msp.owner), { ...input, reason: " no " }), "reason", /5 characters/);
    await expectAppError(previewKillSwitch(contextFor(killed.technician), input), "forbidden");
    expect(await previewKillSwitch(contextFor(msp.owner), input)).toEqual({ total: 2, customers: [{ id: killed.customer.id, name: killed.customer.name, grants: 2 }] });
    const wholeMsp = await previewKillSwitch(contextFor(msp.owner), { reason: input.reason });
    expect(wholeMsp.customers).toEqual(expect.arrayContaining([{ id: killed.customer.id, name: killed.customer.name, grants: 2 }, { id: spared.customer.id, name: spared.customer.name, grants: 1 }]));
    expect(await readGrant(msp.mspId, active.id)).toMatchObject({ state: "active", endReason: null });

    await expectAppError(pullKillSwitch(contextFor(msp.owner), input), "step_up_required");
    await expectAppError(pullKillSwitch(contextFor(msp.owner, { stepUp: "stale" }), input), "step_up_required");
    await expectAppError(pullKillSwitch(contextFor(killed.technician, { stepUp: "fresh" }), input), "forbidden");

    expect(await pullKillSwitch(contextFor(msp.owner, { stepUp: "fresh" }), input)).toEqual({ ended: 2 });

    expect(await readGrant(msp.mspId, scheduled.id)).toMatchObject({ state: "revoked", endReason: "kill_switch", endRequestedBy: msp.owner.id });
    expect(await readGrant(msp.mspId, active.id)).toMatchObject({ state: "expiring", endReason: "kill_switch" });
    expect(await readGrant(msp.mspId, other.id)).toMatchObject({ state: "active", endReason: null });
    expect((await expiryJobsOf(active.id)).some((j) => /-now-\d+$/.test(j.id!))).toBe(true);
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), active.id, { finalAttempt: false })).toEqual({ state: "revoked" });
    expect((await accountsOfGrant(killed.tenant.id, active)).users[0]).toMatchObject({ accountEnabled: false, roles: [] });
    expect((await accountsOfGrant(spared.tenant.id, other)).users[0]).toMatchObject({ accountEnabled: true });

    const [pulled] = await auditOf(sql, msp.mspId, { action: "grant.kill_switch", targetId: killed.customer.id });
    expect(pulled).toMatchObject({ actor_id: msp.owner.id, reason: input.reason, target_type: "customer", metadata: { grants: 2 } });
    const [revoked] = await auditOf(sql, msp.mspId, { action: "grant.revoked", targetId: scheduled.id });
    expect(revoked).toMatchObject({ actor_id: msp.owner.id, reason: input.reason });

    // Each technician reads the reason on their grant, on its timeline, and in the message that it ended.
    for (const [grant, technician] of [[active, killed.technician], [scheduled, later]] as const) {
      expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ revokeReason: input.reason });
      expect((await stepsOf(msp.mspId, grant.id)).filter((s) => s.step === "kill_switch")).toEqual([expect.objectContaining({ status: "succeeded", detail: expect.stringContaining(input.reason) })]);
      const [ended] = await sql`select payload, member_ids from notification_outbox where grant_id = ${grant.id} and event = 'grant.ended'`;
      expect(ended).toMatchObject({ member_ids: [technician.id], payload: { data: { reason: input.reason } } });
    }
  });

  it("for the whole MSP: every live grant, including one still being provisioned", async () => {
    const own = await seedMspDirectly({ mspName: "Kill switch MSP" });
    const a = await jitReadyCustomer(own);
    const b = await jitReadyCustomer(own);
    const c = await jitReadyCustomer(own);
    const active = await activeGrant(a);
    const scheduled = await grantFor(b, b.technician, { startAt: new Date(Date.now() + 3600_000) });
    // The third grant's provisioning is slow (every Graph answer takes 250 ms); the switch is pulled meanwhile.
    await setMisbehaviour(c.tenant.id, { latencyMs: 250 });
    const inFlight = await grantFor(c);
    const provisioning = provisionGrant(systemContext(own.mspId, "grant.provision"), inFlight.id, { finalAttempt: false });
    await waitFor("the grant to be provisioning", async () => (await readGrant(own.mspId, inFlight.id)).state === "provisioning", { everyMs: 20 });

    expect(await pullKillSwitch(contextFor(own.owner, { stepUp: "fresh" }), { reason: "Stint credentials may have leaked" })).toEqual({ ended: 3 });

    expect(await readGrant(own.mspId, scheduled.id)).toMatchObject({ state: "revoked", endReason: "kill_switch" });
    expect(await readGrant(own.mspId, active.id)).toMatchObject({ state: "expiring", endReason: "kill_switch" });
    expect(await readGrant(own.mspId, inFlight.id)).toMatchObject({ state: "provisioning", endReason: "kill_switch" });
    // The provisioning job finishes the account, sees the request, and hands the grant to expiry.
    expect(await provisioning).toEqual({ state: "expiring" });
    expect((await expiryJobsOf(inFlight.id)).some((j) => /-now-\d+$/.test(j.id!))).toBe(true);
    await setMisbehaviour(c.tenant.id, { latencyMs: 0 });

    expect(await expireGrant(systemContext(own.mspId, "grant.expire"), active.id, { finalAttempt: false })).toEqual({ state: "revoked" });
    expect(await expireGrant(systemContext(own.mspId, "grant.expire"), inFlight.id, { finalAttempt: false })).toEqual({ state: "revoked" });
    for (const [setup, grant] of [[a, active], [c, inFlight]] as const) {
      expect((await accountsOfGrant(setup.tenant.id, grant)).users[0]).toMatchObject({ accountEnabled: false, roles: [] });
    }
    const live = await sql`select id from grants where msp_id = ${own.mspId} and state in ('approved', 'provisioning', 'active', 'expiring', 'irrevocable')`;
    expect(live).toEqual([]);
    const [pulled] = await auditOf(sql, own.mspId, { action: "grant.kill_switch" });
    expect(pulled).toMatchObject({ target_type: "msp", target_id: own.mspId, metadata: { grants: 3 } });
  });
});
