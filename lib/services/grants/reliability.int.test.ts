import { describe, expect, it } from "vitest";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor } from "@/lib/entra/graph";
import { queue } from "@/lib/queue/producer";
import { RetryLater } from "@/lib/queue/retry-later";
import { checkConnections } from "@/lib/services/connections/check-health";
import { restoreMissingSchedules, upsertSchedules } from "@/jobs/schedules";
import { systemContext } from "@/lib/services/context";
import { inspectTenant, setConsent, setMisbehaviour } from "@/test/entra";
import { contextFor, expectAppError, steppedUpContext } from "@/test/factories";
import { accountsOfGrant, auditOf, graphRequests, interceptGraph, isAssignRole, readGrant, sleep, grantSuite } from "@/test/grant-harness";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer, USER_ADMINISTRATOR } from "@/test/grants";
import { endGrant } from "./end";
import { expireGrant } from "./expire";
import { pullKillSwitch } from "./kill-switch";
import { provisionGrant } from "./provision";
import { GrantDenied, requestGrant } from "./request";
import { retryRevocation } from "./retry-revocation";
import { sweepDueGrants } from "./sweep";

// What keeps provisioning and expiry on time when workers die, Redis loses its keys and Graph misbehaves:
// leases the sweeper can see lapse, budgets that honour Retry-After, clean-up that waits out replication lag,
// irrevocable grants retried within the hour, and broken connections noticed at once.

const suite = grantSuite("reliability", "Reliability MSP");

async function requested(options: Parameters<typeof jitReadyCustomer>[1] = {}) {
  const setup = await jitReadyCustomer(suite.msp, options);
  const grant = await requestGrant(contextFor(setup.technician), {
    customerId: setup.customer.id,
    accessLevelIds: [setup.level.id],
    durationMinutes: 60,
    justification: "Ticket 4711: reliability test",
  });
  return { ...setup, grant };
}

/** Runs one job's attempts as BullMQ would (same run id, the next attempt number) until it stops asking to retry. */
async function untilSettled<T>(attempt: (n: number) => Promise<T>, options: { timeoutMs: number }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof RetryLater) || Date.now() > deadline) throw err;
      await sleep(Math.min(err.delayMs, 500));
    }
  }
}

describe("leases", () => {
  it("a run finds another run's live lease and stands down; once that lease lapses the sweeper queues the work at once, once", async () => {
    const { tenant, grant } = await requested();
    // A worker took the grant and died holding its lease.
    await suite.sql`update grants set state = 'provisioning', lease_holder = 'dead-worker', lease_until = now() + interval '30 seconds' where id = ${grant.id}`;
    const since = new Date();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, runId: "job-b" })).toEqual({ state: "provisioning", skipped: true });
    expect(await graphRequests(tenant.id, since)).toEqual([]);
    // Live lease: the sweeper leaves it alone.
    await sweepDueGrants();
    expect((await queue("provisioning").getJobs(["waiting", "prioritized", "delayed"])).filter((j) => j.data.grantId === grant.id && j.id!.includes("-lease-"))).toEqual([]);

    const [lapsed] = await suite.sql<{ lease_until: Date }[]>`update grants set lease_until = now() - interval '1 second' where id = ${grant.id} returning lease_until`;
    expect((await sweepDueGrants()).provisioning).toBeGreaterThanOrEqual(1);
    await sweepDueGrants();
    const requeued = (await queue("provisioning").getJobs(["waiting", "prioritized", "delayed"])).filter((j) => j.data.grantId === grant.id && j.id!.includes("-lease-"));
    expect(requeued.map((j) => j.id)).toEqual([`provision-${grant.id}-lease-${lapsed!.lease_until.getTime()}`]);

    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, runId: requeued[0]!.id })).toEqual({ state: "active" });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ leaseHolder: null, leaseUntil: null });
  });

  it("a run whose worker process stopped beating holds nothing: its work is queued at once, before the lease lapses", async () => {
    const { grant } = await requested();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    // A live worker process holds the expiry: the sweeper and other runs leave it alone.
    await suite.sql`insert into worker_processes (id) values ('worker-live'), ('worker-dead')`;
    await suite.sql`update grants set state = 'expiring', end_reason = 'expired', expiry_started_at = now(), lease_holder = 'job-a', lease_until = now() + interval '30 seconds', lease_process = 'worker-live' where id = ${grant.id}`;
    await sweepDueGrants();
    const expiries = async () => (await queue("expiry").getJobs(["waiting", "prioritized"])).filter((j) => j.data.grantId === grant.id);
    expect(await expiries()).toEqual([]);
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: "job-b" })).toEqual({ state: "expiring", skipped: true });

    // The same lease, its process last seen 6 s ago: dead, though the lease has 30 s to run.
    await suite.sql`update worker_processes set seen_at = now() - interval '6 seconds' where id = 'worker-live'`;
    expect((await sweepDueGrants()).expiring).toBeGreaterThanOrEqual(1);
    await sweepDueGrants();
    const jobs = await expiries();
    expect(jobs.map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^expire-${grant.id}-lease-\\d+$`))]);
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: jobs[0]!.id })).toEqual({ state: "ended" });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ leaseHolder: null, leaseUntil: null, leaseProcess: null });
    await suite.sql`delete from worker_processes where id in ('worker-live', 'worker-dead')`;
  });

  it("a lease waiting for its job's retry names no process: the retry may run anywhere", async () => {
    const { tenant, grant } = await requested();
    await setMisbehaviour(tenant.id, { faults: { rate: 1, status: 503, match: "^POST /users$" } });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, attempt: 1, runId: "job-503" }).catch(() => {});
    await setMisbehaviour(tenant.id, { faults: null });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ state: "provisioning", leaseHolder: "waiting:job-503", leaseProcess: null });
  });

  it("an expiry whose run died is queued again when its lease lapses, not minutes later", async () => {
    const { grant } = await requested();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await suite.sql`update grants set state = 'expiring', end_reason = 'expired', expiry_started_at = now(), lease_holder = 'dead-worker', lease_until = now() - interval '1 second' where id = ${grant.id}`;
    expect((await sweepDueGrants()).expiring).toBeGreaterThanOrEqual(1);
    const jobs = (await queue("expiry").getJobs(["waiting", "prioritized"])).filter((j) => j.data.grantId === grant.id);
    expect(jobs.map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^expire-${grant.id}-lease-\\d+$`))]);
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: jobs[0]!.id })).toEqual({ state: "ended" });
  });
});

describe("retry budgets", () => {
  it("a throttled attempt asks for its retry no sooner than Graph's Retry-After, and holds the lease until then", async () => {
    const { tenant, grant } = await requested();
    await setMisbehaviour(tenant.id, { faults: { rate: 1, status: 429, retryAfterSeconds: 20, match: "^POST /users$" } });
    const failure = await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, attempt: 1, runId: "job-429" }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RetryLater);
    expect((failure as RetryLater).delayMs).toBeGreaterThanOrEqual(20_000);
    expect(((failure as RetryLater).cause as EntraError).retryAfterMs).toBe(20_000);
    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row).toMatchObject({ state: "provisioning", leaseHolder: "waiting:job-429" });
    expect(row.leaseUntil!.getTime() - Date.now()).toBeGreaterThan(19_000);
    // Another run meanwhile stands down: the retry is coming.
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, runId: "job-other" })).toEqual({ state: "provisioning", skipped: true });
    await setMisbehaviour(tenant.id, { faults: null });
  });

  it("work waiting for a retry that Redis lost is queued again by the next sweep, not when its lease lapses", async () => {
    const { tenant, grant } = await requested();
    await setMisbehaviour(tenant.id, { faults: { rate: 1, status: 429, retryAfterSeconds: 60, match: "^POST /users$" } });
    // The retry of "job-lost" waits in Redis for a minute; here no such job exists, as after a loss of Redis's keys.
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, attempt: 1, runId: "job-lost" }).catch(() => undefined);
    await setMisbehaviour(tenant.id, { faults: null });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ leaseHolder: "waiting:job-lost" });
    expect((await sweepDueGrants()).provisioning).toBeGreaterThanOrEqual(1);
    const jobs = (await queue("provisioning").getJobs(["waiting", "prioritized"])).filter((j) => j.data.grantId === grant.id && j.id !== `provision-${grant.id}`);
    expect(jobs.map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^provision-${grant.id}-lease-\\d+$`))]);
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, runId: jobs[0]!.id })).toEqual({ state: "active" });
  });

  it("a provisioning past its budget fails on its next attempt, and what it made is taken away", async () => {
    const { tenant, grant } = await requested();
    await suite.sql`update grants set start_at = now() - interval '31 minutes' where id = ${grant.id}`;
    suite.undo = interceptGraph([{ tenantId: tenant.id, match: isAssignRole(USER_ADMINISTRATOR), action: "fail", times: 3 }]).restore;
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false, attempt: 12, runId: "job-late" })).toEqual({ state: "expiring" });
    suite.undo();
    suite.undo = undefined;
    expect(await untilSettled((n) => expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, attempt: n, runId: "job-clean" }), { timeoutMs: 20_000 })).toEqual({ state: "failed" });
    expect((await accountsOfGrant(tenant.id, grant)).users).toEqual([]);
  });
});

describe("clean-up under replication lag of role assignments", () => {
  it("a failed provisioning's fresh, still unlisted privileged role is removed by its id before the account goes: nothing is left", async () => {
    const { tenant, grant } = await requested();
    // New assignments stay out of lists and 404 by id for 3 s; the user itself is visible at once.
    await setMisbehaviour(tenant.id, { assignmentReplicationLag: { ms: 3_000, requests: 0, rate: 1 } });
    suite.undo = interceptGraph([{ tenantId: tenant.id, match: isAssignRole(USER_ADMINISTRATOR), action: "fail", times: 3 }]).restore;
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: true })).toEqual({ state: "expiring" });
    suite.undo();
    suite.undo = undefined;
    const made = await readGrant(suite.msp.mspId, grant.id);
    expect(made.roleAssignmentIds).toHaveLength(1);
    // The true state: the account holds one of its privileged roles, which Graph's lists do not show yet.
    const truth = await inspectTenant(tenant.id);
    const held = truth.roleAssignments.filter((a) => a.principalId === made.entraUserId).map((a) => a.roleDefinitionId);
    expect(held).toHaveLength(1);
    expect([HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR]).toContain(held[0]);

    const since = new Date();
    expect(await untilSettled((n) => expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, attempt: n, runId: "job-clean" }), { timeoutMs: 20_000 })).toEqual({ state: "failed" });
    const { users, deletedUsers, tenant: after } = await accountsOfGrant(tenant.id, grant);
    expect(users).toEqual([]);
    expect(deletedUsers).toEqual([]);
    expect(after.roleAssignments.filter((a) => a.principalId === made.entraUserId)).toEqual([]);
    // Not once was the account's delete refused for a role still held.
    const log = await graphRequests(tenant.id, since);
    expect(log.filter((r) => r.status === 403)).toEqual([]);
    // The first delete by id met the lag (404) and was tried again, not taken for "already gone".
    const deletes = log.filter((r) => r.method === "DELETE" && r.path.includes("/roleAssignments/")).map((r) => r.status);
    expect(deletes[0]).toBe(404);
    expect(deletes.at(-1)).toBe(204);
    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row).toMatchObject({ state: "failed", roleAssignmentIds: [], leaseHolder: null });
    expect(row.failureReason).toMatch(/temporarily unavailable/i);
    await setMisbehaviour(tenant.id, { assignmentReplicationLag: null });
  });

  it("an account an earlier run deleted and purged, dying before it recorded that, counts as gone though it is fresh", async () => {
    const { tenant, grant } = await requested({ signInMethod: "tap" });
    suite.undo = interceptGraph([{ tenantId: tenant.id, match: isAssignRole(USER_ADMINISTRATOR), action: "fail", times: 3 }]).restore;
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: true })).toEqual({ state: "expiring" });
    suite.undo();
    suite.undo = undefined;
    // The earlier run: roles and pass removed, the account deleted and purged, its delete step never finished.
    const made = await readGrant(suite.msp.mspId, grant.id);
    const graph = graphFor(cloudConfig("microsoft"), tenant.id);
    for (const assignment of await graph.listRoleAssignmentsOf(made.entraUserId!)) await graph.deleteRoleAssignment(assignment.id);
    await graph.deleteUser(made.entraUserId!);
    await graph.permanentlyDeleteUser(made.entraUserId!);
    await suite.sql`update grants set role_assignment_ids = '{}', tap_method_id = null where id = ${grant.id}`;
    await suite.sql`insert into grant_steps (id, msp_id, grant_id, step, status) values (${crypto.randomUUID()}, ${suite.msp.mspId}, ${grant.id}, 'expiry:delete', 'running')`;

    // One attempt ends it, instead of taking the pass list's "not found" for lag for the next two minutes.
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: "job-after-crash" })).toEqual({ state: "failed" });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ state: "failed", expiryAttempts: 0 });
    const { users, deletedUsers } = await accountsOfGrant(tenant.id, grant);
    expect([users, deletedUsers]).toEqual([[], []]);
  });

  it("provisioning verifies through the lag: the grant becomes active only once Graph lists every role", async () => {
    const { tenant, grant } = await requested();
    await setMisbehaviour(tenant.id, { assignmentReplicationLag: { ms: 1_500, requests: 0, rate: 1 } });
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const lists = (await graphRequests(tenant.id)).filter((r) => r.method === "GET" && r.path.startsWith("/v1.0/roleManagement/directory/roleAssignments"));
    expect(lists.length).toBeGreaterThan(1);
    await setMisbehaviour(tenant.id, { assignmentReplicationLag: null });
  });

  it("a removal of a role Graph listed, carried out but answered 504, is sent again and its not-found counts as done, not as lag", async () => {
    const { tenant, grant } = await requested();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    await suite.sql`update grants set state = 'expiring', end_reason = 'expired', expiry_started_at = now() where id = ${grant.id}`;
    // Both removals are carried out, then answered 504: the lost answers of fresh assignments.
    await setMisbehaviour(tenant.id, { faults: { next: 2, status: 504, afterHandler: true, match: "^DELETE /roleManagement/directory/roleAssignments/" } });
    const since = new Date();
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: "job-lost-delete" })).toEqual({ state: "ended" });
    await setMisbehaviour(tenant.id, { faults: null });
    const deletes = (await graphRequests(tenant.id, since)).filter((r) => r.method === "DELETE" && r.path.includes("/roleAssignments/")).map((r) => r.status);
    expect(deletes.filter((s) => s === 504)).toHaveLength(2);
    expect(deletes.filter((s) => s === 404)).toHaveLength(2);
    // Within the attempt: no wait for replication that had already happened.
    expect(Date.now() - since.getTime()).toBeLessThan(5_000);
    const made = await readGrant(suite.msp.mspId, grant.id);
    expect((await inspectTenant(tenant.id)).roleAssignments.filter((a) => a.principalId === made.entraUserId)).toEqual([]);
  });
});

describe("irrevocable grants", () => {
  async function irrevocable() {
    const setup = await requested();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), setup.grant.id, { finalAttempt: false });
    await suite.sql`update grants set state = 'irrevocable', end_reason = 'expired', expiry_started_at = now() - interval '20 minutes', next_expiry_attempt_at = now() + interval '20 minutes', failure_reason = 'Insufficient privileges' where id = ${setup.grant.id}`;
    return setup;
  }

  it("an admin retries now: the attempt is due and queued, audited; a technician may not; a grant that is not irrevocable is a conflict", async () => {
    const { grant, technician } = await irrevocable();
    await expectAppError(retryRevocation(contextFor(technician), grant.id), "forbidden");
    const retried = await retryRevocation(contextFor(suite.msp.owner), grant.id);
    expect(retried.nextExpiryAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const jobs = (await queue("expiry").getJobs(["waiting", "prioritized"])).filter((j) => j.data.grantId === grant.id);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(await auditOf(suite.sql, suite.msp.mspId, { action: "grant.revocation_retry_requested", targetId: grant.id })).toHaveLength(1);
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false, runId: jobs[0]!.id })).toEqual({ state: "ended" });
    await expectAppError(retryRevocation(contextFor(suite.msp.owner), grant.id), "conflict");
  });

  it("revoking or pulling the kill switch on an irrevocable grant tries again at once instead of refusing", async () => {
    const a = await irrevocable();
    const revoked = await endGrant(contextFor(suite.msp.owner), a.grant.id, "revoked", { reason: "Leaving the customer" });
    expect(revoked.state).toBe("irrevocable");
    expect(revoked.nextExpiryAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());

    const b = await irrevocable();
    await pullKillSwitch(await steppedUpContext(suite.msp.owner), { customerId: b.customer.id, reason: "Incident 77" });
    expect((await readGrant(suite.msp.mspId, b.grant.id)).nextExpiryAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });
});

describe("a broken connection", () => {
  it("consent revoked: the check marks the connection unhealthy with an alert, new requests are refused with the reason; restored, its irrevocable grants are retried at once", async () => {
    const setup = await requested();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), setup.grant.id, { finalAttempt: false });
    await suite.sql`update grants set state = 'irrevocable', end_reason = 'expired', expiry_started_at = now(), next_expiry_attempt_at = now() + interval '30 minutes' where id = ${setup.grant.id}`;

    await setConsent(setup.tenant.id, { granted: false });
    expect(await checkConnections(systemContext(suite.msp.mspId, "connection.check"), setup.customer.id)).toEqual({ checked: 1, unhealthy: 1 });
    const [alarm] = await auditOf(suite.sql, suite.msp.mspId, { action: "connection.unhealthy", targetId: setup.customer.id });
    expect(alarm).toMatchObject({ result: "failure", metadata: { alert: true } });
    expect(alarm!.reason).toMatch(/consent is missing or was revoked/i);

    const denied = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification: "Ticket 9090: after consent was revoked" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(GrantDenied);
    const reasons = (denied as GrantDenied).reasons;
    expect(reasons.map((r) => r.code)).toContain("connection_unhealthy");
    expect(reasons.find((r) => r.code === "connection_unhealthy")!.message).toMatch(/consent is missing or was revoked/i);

    await setConsent(setup.tenant.id, { granted: true });
    expect(await checkConnections(systemContext(suite.msp.mspId, "connection.check"), setup.customer.id)).toEqual({ checked: 1, unhealthy: 0 });
    expect((await readGrant(suite.msp.mspId, setup.grant.id)).nextExpiryAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const jobs = (await queue("expiry").getJobs(["waiting", "prioritized"])).filter((j) => j.data.grantId === setup.grant.id);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
  });

  it("a token refused during provisioning queues a check of that connection at once", async () => {
    const { tenant, grant, customer } = await requested();
    await setConsent(tenant.id, { granted: false });
    const outcome = await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    expect(outcome).toEqual({ state: "failed" });
    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row.failureReason).toMatch(/consent is missing or was revoked/i);
    const checks = (await queue("maintenance").getJobs(["waiting", "prioritized", "delayed"])).filter((j) => j.name === "connection.check" && j.data.customerId === customer.id);
    expect(checks).toHaveLength(1);
  });

  it("a broken connection is checked again by the sweeper, soon after it broke and less often the longer it stays broken", async () => {
    const { tenant, customer } = await requested();
    const rechecksOf = async () =>
      (await queue("maintenance").getJobs(["waiting", "prioritized", "delayed"])).filter((j) => j.name === "connection.check" && j.id?.startsWith(`connection-recheck-${customer.id}-`));
    await setConsent(tenant.id, { granted: false });
    await checkConnections(systemContext(suite.msp.mspId, "connection.check"), customer.id);
    // Broken for 30 s, last checked 3 s ago: not due (the wait is 5 s until it has been broken 50 s).
    await suite.sql`update entra_connections set unhealthy_since = now() - interval '30 seconds', health_checked_at = now() - interval '3 seconds' where customer_id = ${customer.id}`;
    await sweepDueGrants();
    expect(await rechecksOf()).toHaveLength(0);
    // Broken for a minute, last checked 7 s ago: due (a tenth of a minute is 6 s).
    await suite.sql`update entra_connections set unhealthy_since = now() - interval '1 minute', health_checked_at = now() - interval '7 seconds' where customer_id = ${customer.id}`;
    await sweepDueGrants();
    expect(await rechecksOf()).toHaveLength(1);
    // A second sweep before that check ran queues nothing more.
    await sweepDueGrants();
    expect(await rechecksOf()).toHaveLength(1);
    // Broken for a day, last checked 10 minutes ago: the wait is 15 minutes, not due.
    for (const job of await rechecksOf()) await job.remove();
    await suite.sql`update entra_connections set unhealthy_since = now() - interval '1 day', health_checked_at = now() - interval '10 minutes' where customer_id = ${customer.id}`;
    await sweepDueGrants();
    expect(await rechecksOf()).toHaveLength(0);
    // Restored: the check finds it healthy and forgets when it broke.
    await setConsent(tenant.id, { granted: true });
    await checkConnections(systemContext(suite.msp.mspId, "connection.check"), customer.id);
    expect((await suite.sql`select health_ok, unhealthy_since from entra_connections where customer_id = ${customer.id}`)[0]).toEqual({ health_ok: true, unhealthy_since: null });
  });
});

describe("schedules", () => {
  it("the sweeper puts back every maintenance schedule Redis lost", async () => {
    const maintenance = queue("maintenance");
    await upsertSchedules(maintenance);
    expect(await restoreMissingSchedules(maintenance)).toEqual([]);
    await maintenance.removeJobScheduler("audit.checkpoint");
    await maintenance.removeJobScheduler("grant.reconcile_orphans");
    expect((await restoreMissingSchedules(maintenance)).sort()).toEqual(["audit.checkpoint", "grant.reconcile_orphans"]);
    expect(await maintenance.getJobScheduler("audit.checkpoint")).toBeTruthy();
  });
});
