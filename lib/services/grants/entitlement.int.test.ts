import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import type { Grant } from "@/db/schema";
import type { EntitlementLoss } from "@/lib/vocabulary/grant-end-reasons";
import { closeQueues, queue } from "@/lib/queue/producer";
import { archiveAccessLevel } from "@/lib/services/access-levels/archive";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { disconnectCustomer } from "@/lib/services/connections/disconnect";
import { systemContext } from "@/lib/services/context";
import { sweepDueGrants } from "./sweep";
import { setCustomerArchived } from "@/lib/services/customers/archive";
import { createDelegation } from "@/lib/services/delegations/create";
import { listMyApprovals } from "@/lib/services/approvals/list";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { removeDelegation } from "@/lib/services/delegations/remove";
import { startAcceptInvite } from "@/lib/services/invites/accept";
import { reissueInvite } from "@/lib/services/invites/reissue";
import { changeMemberRole } from "@/lib/services/members/change-role";
import { disableMember } from "@/lib/services/members/disable";
import { createTeam } from "@/lib/services/teams/create";
import { removeTeam } from "@/lib/services/teams/remove";
import { setTeamMembership } from "@/lib/services/teams/set-membership";
import { setMisbehaviour } from "@/test/entra";
import { contextFor, expectAppError, inviteMember, inviteTokenOf, newFlowToken, seedMspDirectly, superuserSql, type TestMember, type TestMsp } from "@/test/factories";
import { accountsOfGrant, auditOf, deleteQueueKeys, graphRequests, readGrant, useTestQueuePrefix, waitFor } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { expireGrant } from "./expire";
import { provisionGrant } from "./provision";
import { requestGrant } from "./request";

// Access follows entitlement: whatever takes a right away ends the grants that rested on it at once,
// through the verified expiry; scheduled grants are revoked; grants that keep their entitlement run on.

const prefix = useTestQueuePrefix("entitlement");
let msp: TestMsp;
let sql: postgres.Sql;

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Entitlement MSP" });
  sql = superuserSql();
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await sql.end();
  await closeDb();
});

type Setup = Awaited<ReturnType<typeof jitReadyCustomer>>;

const owner = () => contextFor(msp.owner, { stepUp: "fresh" });
const later = () => new Date(Date.now() + 3600_000);

function requestFor(setup: Setup, technician: TestMember, options: { startAt?: Date; accessLevelIds?: string[]; durationMinutes?: number } = {}) {
  return requestGrant(contextFor(technician), {
    customerId: setup.customer.id,
    accessLevelIds: options.accessLevelIds ?? [setup.level.id],
    durationMinutes: options.durationMinutes ?? 30,
    justification: "Ticket 5005: entitlement checks",
    startAt: options.startAt,
  });
}

async function activeGrant(setup: Setup, technician: TestMember = setup.technician, accessLevelIds?: string[]) {
  const grant = await requestFor(setup, technician, { accessLevelIds });
  expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
  return readGrant(msp.mspId, grant.id);
}

/** Another technician with the same delegation on the setup's customer. */
async function anotherTechnician(setup: Setup) {
  const technician = await inviteMember(msp.owner, "technician");
  await delegate(technician, setup);
  return technician;
}

function delegate(technician: TestMember, setup: Setup, customerId: string | null = setup.customer.id) {
  return createDelegation(owner(), { memberId: technician.id, customerId, accessLevelIds: [setup.level.id], maxDurationMinutes: 480 });
}

async function delegationId(memberId: string, customerId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`select id from delegations where member_id = ${memberId} and customer_id = ${customerId}`;
  return row!.id;
}

async function expiryJobsOf(grantId: string) {
  const jobs = await queue("expiry").getJobs(["waiting", "prioritized", "delayed"]);
  return jobs.filter((j) => j.data.grantId === grantId);
}

/**
 * The grant was set expiring with `reason` and its expiry queued at once; run as the job would, it ends
 * revoked with the account disabled and role-free in the tenant, and the end is audited with the reason.
 */
async function expectTakenAway(setup: Setup, grant: Grant, reason: EntitlementLoss) {
  expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: "expiring", endReason: reason });
  expect((await expiryJobsOf(grant.id)).some((j) => /-now-\d+$/.test(j.id!) && (j.opts.delay ?? 0) === 0)).toBe(true);
  expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "revoked" });
  expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: "revoked", endReason: reason, passwordEnvelope: null });
  const [account] = (await accountsOfGrant(setup.tenant.id, grant)).users;
  expect(account).toMatchObject({ accountEnabled: false, roles: [] });
  // Audited when it was ended: as expiring, or as asked to end while its account was still being made.
  const events = await auditOf(sql, msp.mspId, { targetId: grant.id });
  const ended = events.find((e) => ["grant.expiring", "grant.end_requested"].includes(e.action) && e.metadata.endReason === reason);
  expect(ended?.reason).toBeTruthy();
}

/** A scheduled grant revoked outright, with the reason; at its start nothing is made. */
async function expectRevokedBeforeStart(setup: Setup, grant: Grant, reason: EntitlementLoss) {
  expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: "revoked", endReason: reason });
  const [revoked] = await auditOf(sql, msp.mspId, { action: "grant.revoked", targetId: grant.id });
  expect(revoked).toMatchObject({ metadata: { endReason: reason } });
  await sql`update grants set start_at = now() where id = ${grant.id}`;
  expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "revoked", skipped: true });
  expect((await accountsOfGrant(setup.tenant.id, grant)).users).toEqual([]);
}

async function expectUntouched(grant: Grant) {
  expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: grant.state, endReason: null });
}

describe("a member disabled", () => {
  it("loses every live grant and scheduled grant, and their recovery link; other members keep theirs", async () => {
    const a = await jitReadyCustomer(msp);
    const b = await jitReadyCustomer(msp);
    const technician = a.technician;
    await delegate(technician, b);
    const active = await activeGrant(a);
    const scheduled = await requestFor(b, technician, { startAt: later() });
    const colleague = await anotherTechnician(a);
    const colleagues = await activeGrant(a, colleague);
    const { link } = await reissueInvite(owner(), technician.id);

    await disableMember(owner(), technician.id);

    await expectTakenAway(a, active, "member_disabled");
    await expectRevokedBeforeStart(b, scheduled, "member_disabled");
    await expectUntouched(colleagues);
    await expectAppError(startAcceptInvite(inviteTokenOf(link), newFlowToken()), "gone");
    const [disabled] = await auditOf(sql, msp.mspId, { action: "member.disabled", targetId: technician.id });
    expect(disabled).toMatchObject({ metadata: { invitesRevoked: 1, grantsEnded: 2 } });
  });
});

describe("a request waiting for approval", () => {
  it("is cancelled when its requester is disabled, with the reason, and leaves the approvers' queue", async () => {
    const setup = await jitReadyCustomer(msp);
    await createAccessPolicy(owner(), { name: `Approve ${setup.customer.id}`, customerId: setup.customer.id, approval: "always" });
    const waiting = await requestFor(setup, setup.technician);
    expect(waiting.state).toBe("pending_approval");

    await disableMember(owner(), setup.technician.id);

    expect(await readGrant(msp.mspId, waiting.id)).toMatchObject({ state: "cancelled", endReason: "member_disabled", entraUserId: null });
    const [cancelled] = await auditOf(sql, msp.mspId, { action: "grant.cancelled", targetId: waiting.id });
    expect(cancelled).toMatchObject({ reason: expect.stringMatching(/disabled/i), metadata: { requesterId: setup.technician.id, endReason: "member_disabled" } });
    expect((await listMyApprovals(owner())).map((g) => g.id)).not.toContain(waiting.id);
  });
});

describe("a role changed", () => {
  it("to auditor ends the member's grants, and auditors cannot request; to admin keeps them", async () => {
    const setup = await jitReadyCustomer(msp);
    const active = await activeGrant(setup);
    const promoted = await anotherTechnician(setup);
    const promotedGrant = await activeGrant(setup, promoted);

    await changeMemberRole(owner(), setup.technician.id, { role: "auditor" });
    await changeMemberRole(owner(), promoted.id, { role: "admin" });

    await expectTakenAway(setup, active, "role_changed");
    await expectUntouched(promotedGrant);
    // The context of the auditor's next request names the new role.
    const denied = await expectAppError(
      requestGrant(contextFor(setup.technician, { role: "auditor" }), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification: "Ticket 5005" }),
      "validation_failed",
    );
    expect(denied.message).toContain("As auditor you cannot have access");
  });
});

describe("a delegation removed", () => {
  it("ends the grants it alone covered; grants still delegated another way, and other customers', run on", async () => {
    const setup = await jitReadyCustomer(msp);
    const elsewhere = await jitReadyCustomer(msp);
    const active = await activeGrant(setup);
    const scheduledFor = await anotherTechnician(setup);
    const scheduled = await requestFor(setup, scheduledFor, { startAt: later() });
    // Covered twice: by a delegation on this customer and by one on every customer.
    const twice = await anotherTechnician(setup);
    await delegate(twice, setup, null);
    const twiceGrant = await activeGrant(setup, twice);
    // Covered by a team's delegation as well as their own.
    const teamed = await anotherTechnician(setup);
    const team = await createTeam(owner(), { name: `Helpdesk team ${teamed.id.slice(-6)}` });
    await setTeamMembership(owner(), team.id, { memberId: teamed.id, inTeam: true });
    await createDelegation(owner(), { teamId: team.id, customerId: setup.customer.id, accessLevelIds: [setup.level.id], maxDurationMinutes: 480 });
    const teamedGrant = await activeGrant(setup, teamed);
    const otherCustomer = await activeGrant(elsewhere);

    for (const member of [setup.technician, scheduledFor, twice, teamed]) await removeDelegation(owner(), await delegationId(member.id, setup.customer.id));

    await expectTakenAway(setup, active, "delegation_removed");
    await expectRevokedBeforeStart(setup, scheduled, "delegation_removed");
    await expectUntouched(twiceGrant);
    await expectUntouched(teamedGrant);
    await expectUntouched(otherCustomer);
    const [event] = await auditOf(sql, msp.mspId, { action: "grant.expiring", targetId: active.id });
    expect(event!.reason).toBe(`${setup.level.name} is no longer delegated to Test technician on ${setup.customer.name}.`);

    // Leaving the team takes the last delegation away.
    await setTeamMembership(owner(), team.id, { memberId: teamed.id, inTeam: false });
    await expectTakenAway(setup, teamedGrant, "delegation_removed");
  });

  it("a team deleted ends the grants only its delegations covered", async () => {
    const setup = await jitReadyCustomer(msp);
    const member = await inviteMember(msp.owner, "technician");
    const bystander = await anotherTechnician(setup);
    const team = await createTeam(owner(), { name: `Night shift ${member.id.slice(-6)}` });
    for (const m of [member, bystander]) await setTeamMembership(owner(), team.id, { memberId: m.id, inTeam: true });
    await createDelegation(owner(), { teamId: team.id, customerId: null, accessLevelIds: [setup.level.id], maxDurationMinutes: 480 });
    const viaTeam = await activeGrant(setup, member);
    const ownDelegation = await activeGrant(setup, bystander);

    await removeTeam(owner(), team.id);

    await expectTakenAway(setup, viaTeam, "delegation_removed");
    await expectUntouched(ownDelegation);
  });
});

describe("an access level", () => {
  it("archived: every grant holding it ends; a grant of another level runs on", async () => {
    const setup = await jitReadyCustomer(msp);
    const other = await jitReadyCustomer(msp);
    const active = await activeGrant(setup);
    const scheduled = await requestFor(setup, await anotherTechnician(setup), { startAt: later() });
    const otherLevel = await activeGrant(other);

    await archiveAccessLevel(owner(), setup.level.id);

    await expectTakenAway(setup, active, "access_level_archived");
    await expectRevokedBeforeStart(setup, scheduled, "access_level_archived");
    await expectUntouched(otherLevel);
  });

  it("switched off on a customer: that customer's grants holding it end; the same level elsewhere runs on", async () => {
    const setup = await jitReadyCustomer(msp);
    const other = await jitReadyCustomer(msp);
    // The same level enabled and delegated on the other customer too.
    await setAccessLevelForCustomer(owner(), other.customer.id, setup.level.id, { enabled: true });
    await createDelegation(owner(), { memberId: other.technician.id, customerId: other.customer.id, accessLevelIds: [setup.level.id], maxDurationMinutes: 480 });
    const active = await activeGrant(setup);
    const sameLevelElsewhere = await activeGrant(other, other.technician, [setup.level.id]);

    await setAccessLevelForCustomer(owner(), setup.customer.id, setup.level.id, { enabled: false });

    await expectTakenAway(setup, active, "access_level_disabled");
    await expectUntouched(sameLevelElsewhere);
  });
});

describe("a customer archived", () => {
  it("ends its live and scheduled grants; other customers' run on", async () => {
    const setup = await jitReadyCustomer(msp);
    const other = await jitReadyCustomer(msp);
    const active = await activeGrant(setup);
    const scheduled = await requestFor(setup, await anotherTechnician(setup), { startAt: later() });
    const otherGrant = await activeGrant(other);

    await setCustomerArchived(owner(), setup.customer.id, { archived: true });

    await expectTakenAway(setup, active, "customer_archived");
    await expectRevokedBeforeStart(setup, scheduled, "customer_archived");
    await expectUntouched(otherGrant);
  });
});

describe("a tenant disconnected", () => {
  it("with live grants: takes the access away first, refuses new grants, and disconnects when the last grant has ended", async () => {
    const setup = await jitReadyCustomer(msp);
    const other = await jitReadyCustomer(msp);
    const active = await activeGrant(setup);
    const scheduled = await requestFor(setup, await anotherTechnician(setup), { startAt: later() });
    const otherGrant = await activeGrant(other);
    // A third grant is still being provisioned (every Graph answer takes 250 ms) when the disconnect comes.
    const inFlightFor = await anotherTechnician(setup);
    await setMisbehaviour(setup.tenant.id, { latencyMs: 250 });
    const inFlight = await requestFor(setup, inFlightFor);
    const provisioning = provisionGrant(systemContext(msp.mspId, "grant.provision"), inFlight.id, { finalAttempt: false });
    await waitFor("the grant to be provisioning", async () => (await readGrant(msp.mspId, inFlight.id)).state === "provisioning", { everyMs: 20 });

    expect(await disconnectCustomer(owner(), setup.customer.id)).toEqual({ status: "disconnecting", liveGrants: 2 });

    const connection = async () => (await sql<{ status: string; disconnect_requested_at: Date | null }[]>`select status, disconnect_requested_at from entra_connections where customer_id = ${setup.customer.id}`)[0]!;
    expect(await connection()).toMatchObject({ status: "connected", disconnect_requested_at: expect.any(Date) });
    expect(await readGrant(msp.mspId, inFlight.id)).toMatchObject({ state: "provisioning", endReason: "tenant_disconnected" });
    await expectRevokedBeforeStart(setup, scheduled, "tenant_disconnected");
    const refused = await expectAppError(requestFor(setup, await anotherTechnician(setup)), "validation_failed");
    expect(refused.message).toContain("Entra ID is not connected");
    // Asking again reports the progress, once audited.
    expect(await disconnectCustomer(owner(), setup.customer.id)).toEqual({ status: "disconnecting", liveGrants: 2 });
    expect(await auditOf(sql, msp.mspId, { action: "customer.disconnect_requested", targetId: setup.customer.id })).toHaveLength(1);

    // The connection stays usable for the expiry of each grant; the last one's end completes the disconnect.
    await expectTakenAway(setup, active, "tenant_disconnected");
    expect((await connection()).status).toBe("connected");
    expect(await provisioning).toEqual({ state: "expiring" });
    await setMisbehaviour(setup.tenant.id, { latencyMs: 0 });
    await expectTakenAway(setup, inFlight, "tenant_disconnected");
    expect((await connection()).status).toBe("disconnected");
    const [done] = await auditOf(sql, msp.mspId, { action: "customer.disconnected", targetId: setup.customer.id });
    expect(done).toMatchObject({ actor_type: "system", actor_id: "grant.expire", metadata: { tenant: setup.tenant.id, requestedBy: msp.owner.id } });
    await expectUntouched(otherGrant);
    await expectAppError(disconnectCustomer(owner(), setup.customer.id), "not_found");
    await expectAppError(requestFor(setup, setup.technician), "validation_failed");
  });

  it("a disconnect left pending after its last grant ended (the worker died in between) is completed by the sweeper", async () => {
    const setup = await jitReadyCustomer(msp);
    await sql`update entra_connections set disconnect_requested_at = now() - interval '2 minutes', disconnect_requested_by = ${msp.owner.id} where customer_id = ${setup.customer.id}`;
    const swept = await sweepDueGrants();
    expect(swept.disconnects).toBeGreaterThanOrEqual(1);
    const [row] = await sql<{ status: string }[]>`select status from entra_connections where customer_id = ${setup.customer.id}`;
    expect(row!.status).toBe("disconnected");
    const [done] = await auditOf(sql, msp.mspId, { action: "customer.disconnected", targetId: setup.customer.id });
    expect(done).toMatchObject({ actor_type: "system", actor_id: "connection.disconnect", metadata: { tenant: setup.tenant.id, requestedBy: msp.owner.id } });
    // A request of a minute ago is left to the normal path; one with a live grant is not touched at all.
    const fresh = await jitReadyCustomer(msp);
    await requestFor(fresh, fresh.technician);
    await sql`update entra_connections set disconnect_requested_at = now() - interval '2 minutes' where customer_id = ${fresh.customer.id}`;
    await sweepDueGrants();
    const [kept] = await sql<{ status: string }[]>`select status from entra_connections where customer_id = ${fresh.customer.id}`;
    expect(kept!.status).toBe("connected");
  });

  it("with none live: disconnects at once", async () => {
    const setup = await jitReadyCustomer(msp);
    expect(await disconnectCustomer(owner(), setup.customer.id)).toEqual({ status: "disconnected" });
    const [done] = await auditOf(sql, msp.mspId, { action: "customer.disconnected", targetId: setup.customer.id });
    expect(done).toMatchObject({ actor_id: msp.owner.id, metadata: { tenant: setup.tenant.id } });
  });
});

describe("a scheduled grant at its start", () => {
  async function startNow(grant: Grant) {
    await sql`update grants set start_at = now() where id = ${grant.id}`;
    const since = new Date();
    const outcome = await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    return { outcome, since };
  }

  it("whose delegation went away unnoticed is revoked with the reason in words, without a Graph call", async () => {
    const setup = await jitReadyCustomer(msp);
    const grant = await requestFor(setup, setup.technician, { startAt: later() });
    // Taken away behind the services' back: only the check at the start can catch it.
    await sql`delete from delegations where member_id = ${setup.technician.id}`;

    const { outcome, since } = await startNow(grant);

    expect(outcome).toEqual({ state: "revoked" });
    expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: "revoked", endReason: "delegation_removed", usableFrom: null, entraUserId: null });
    const [revoked] = await auditOf(sql, msp.mspId, { action: "grant.revoked", targetId: grant.id });
    expect(revoked).toMatchObject({ actor_type: "system", reason: `${setup.level.name} is no longer delegated to Test technician on ${setup.customer.name}.` });
    expect(await graphRequests(setup.tenant.id, since)).toEqual([]);
    expect((await accountsOfGrant(setup.tenant.id, grant)).users).toEqual([]);
  });

  it("longer than today's maximum, or of a member disabled meanwhile, is revoked; one still allowed starts", async () => {
    const setup = await jitReadyCustomer(msp);
    const long = await requestFor(setup, setup.technician, { startAt: later(), durationMinutes: 240 });
    await sql`update delegations set max_duration_minutes = 120 where member_id = ${setup.technician.id}`;
    expect((await startNow(long)).outcome).toEqual({ state: "revoked" });
    const [tooLong] = await auditOf(sql, msp.mspId, { action: "grant.revoked", targetId: long.id });
    expect(tooLong!.reason).toBe("It lasts 240 minutes; today's maximum is 120.");
    expect(await readGrant(msp.mspId, long.id)).toMatchObject({ endReason: "duration_exceeded" });

    const colleague = await anotherTechnician(setup);
    const disabledMeanwhile = await requestFor(setup, colleague, { startAt: later() });
    await sql`update members set status = 'disabled' where id = ${colleague.id}`;
    expect((await startNow(disabledMeanwhile)).outcome).toEqual({ state: "revoked" });
    expect(await readGrant(msp.mspId, disabledMeanwhile.id)).toMatchObject({ endReason: "member_disabled" });

    const allowed = await requestFor(setup, setup.technician, { startAt: later(), durationMinutes: 60 });
    expect((await startNow(allowed)).outcome).toEqual({ state: "active" });
  });
});
