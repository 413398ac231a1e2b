import type postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues, queue } from "@/lib/queue/producer";
import { requestGrant } from "@/lib/services/grants/request";
import { revealCredential } from "@/lib/services/grants/reveal-credential";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import { inspectTenant, setMisbehaviour } from "@/test/entra";
import { contextFor, seedMspDirectly, superuserSql, steppedUpContext, type TestMsp } from "@/test/factories";
import {
  accountsOfGrant, addTenantUser, auditOf, deleteQueueKeys, graphRequests, readGrant, redisTextUnder, useTestQueuePrefix, waitFor,
} from "@/test/grant-harness";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer, USER_ADMINISTRATOR } from "@/test/grants";
import { startWorker, type WorkerProcess } from "@/test/worker-process";

// The real programs: jobs/worker.ts in its own process (JOB_LOCK_SECONDS=2, SWEEP_EVERY_SECONDS=1), real
// Redis under a prefix of each test's own, this process as the web side enqueueing with the same prefix.

let msp: TestMsp;
let sql: postgres.Sql;
let prefix: string;
const workers: WorkerProcess[] = [];

function worker(overrides: Record<string, string> = {}) {
  const started = startWorker(prefix, overrides);
  workers.push(started);
  return started;
}

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Worker MSP" });
  sql = superuserSql();
});
afterEach(async (context) => {
  for (const w of workers.splice(0)) {
    if (context.task.result?.state === "fail") console.error(`worker ${w.pid} output:\n${w.output().slice(-4000)}`);
    await w.crash();
  }
  await closeQueues();
  await deleteQueueKeys(prefix);
});
afterAll(async () => {
  await sql.end();
  await closeDb();
});

/** A unique prefix for this test's producer (the env object lib/queue reads) and its workers. */
async function freshPrefix(label: string) {
  await closeQueues();
  prefix = useTestQueuePrefix(label);
}

async function request(setup: Awaited<ReturnType<typeof jitReadyCustomer>>) {
  return requestGrant(contextFor(setup.technician), {
    customerId: setup.customer.id,
    accessLevelIds: [setup.level.id],
    durationMinutes: 15,
    justification: "Ticket 6006: real worker test",
  });
}

const stateIs = (grantId: string, ...states: string[]) => async () => {
  const row = await readGrant(msp.mspId, grantId);
  return states.includes(row.state) ? row : null;
};

const bothRoles = [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR].sort();

describe("the worker process", () => {
  it("provisions a requested grant, and its delayed job ends it on time; no password in Redis or the worker's logs", async () => {
    await freshPrefix("jobs_a");
    const w = worker({ LOG_LEVEL: "debug" });
    const setup = await jitReadyCustomer(msp);
    const grant = await request(setup);

    const active = await waitFor("the worker to provision the grant", stateIs(grant.id, "active", "failed"), { timeoutMs: 20_000 });
    expect(active.state).toBe("active");
    const { password } = await revealCredential(await steppedUpContext(setup.technician), grant.id);
    expect((await accountsOfGrant(setup.tenant.id, grant)).users[0]!.password).toBe(password);

    // Two seconds left (a grant of the minimum duration, near its end): the web side re-times it, as extend does.
    const [{ ends_at: endsAt }] = (await sql`update grants set ends_at = now() + interval '2 seconds' where id = ${grant.id} returning ends_at`) as unknown as [{ ends_at: Date }];
    await scheduleExpiry({ id: grant.id, mspId: msp.mspId, endsAt });
    const timer = await queue("expiry").getJob(`expire-${grant.id}-${endsAt.getTime()}`);
    expect(await timer!.getState()).toBe("delayed");

    const ended = await waitFor("the grant to end", stateIs(grant.id, "ended", "irrevocable"), { timeoutMs: 15_000 });
    expect(ended.state).toBe("ended");
    expect(ended.expiryStartedAt!.getTime()).toBeGreaterThanOrEqual(endsAt.getTime());
    const lateness = ended.usableTo!.getTime() - endsAt.getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(2_000);
    const [account] = (await accountsOfGrant(setup.tenant.id, grant)).users;
    expect(account).toMatchObject({ accountEnabled: false, roles: [] });
    expect(account!.password).not.toBe(password);
    // Each job acts as itself: the runner gives its services a system context naming the job.
    const bySystem = (await auditOf(sql, msp.mspId, { targetId: grant.id })).filter((e) => e.actor_type === "system").map((e) => `${e.action} by ${e.actor_id}`);
    expect(bySystem).toEqual(["grant.provisioning by grant.provision", "grant.active by grant.provision", "grant.expiring by grant.expire", "grant.ended by grant.expire"]);

    const redis = await redisTextUnder(prefix);
    expect(redis).toContain(grant.id);
    expect(redis).not.toContain(password);
    expect(await w.stop()).toBe(0);
    expect(w.output()).toContain(grant.id);
    expect(w.output()).not.toContain(password);
  });

  it("a worker killed mid-provisioning: the stalled job is taken over and finishes with exactly one account", async () => {
    await freshPrefix("jobs_b");
    const first = worker();
    const setup = await jitReadyCustomer(msp);
    // Every Graph answer of this tenant takes 400 ms, so provisioning is still running when the account appears.
    await setMisbehaviour(setup.tenant.id, { latencyMs: 400 });
    const grant = await request(setup);

    await waitFor(
      "the account to be created",
      async () => (await inspectTenant(setup.tenant.id)).users.some((u) => u.userPrincipalName === grant.upn),
      { timeoutMs: 20_000, everyMs: 25 },
    );
    expect(await first.crash()).toBe("SIGKILL");
    expect((await readGrant(msp.mspId, grant.id)).state).toBe("provisioning");

    worker();
    const active = await waitFor("another worker to finish the stalled job", stateIs(grant.id, "active", "failed"), { timeoutMs: 25_000 });
    expect(active.state).toBe("active");
    const { users } = await accountsOfGrant(setup.tenant.id, grant);
    expect(users).toHaveLength(1);
    expect([...users[0]!.roles].sort()).toEqual(bothRoles);
    // One create succeeded; a taken-over attempt that had not stored the account's id creates again, is told
    // the UPN exists (400), and takes the tagged account.
    const creates = (await graphRequests(setup.tenant.id)).filter((r) => r.method === "POST" && r.path === "/v1.0/users");
    expect(creates.filter((r) => r.status === 201)).toHaveLength(1);
    expect(creates.every((r) => r.status === 201 || r.status === 400)).toBe(true);
    // The stalled job runs again; whichever of it and the sweeper's re-queue (the lease lapsed) comes first
    // finishes the grant, the other finds it done or leased and stands down.
    const job = await queue("provisioning").getJob(`provision-${grant.id}`);
    expect(job!.attemptsStarted).toBeGreaterThanOrEqual(2);
    const runs = await waitFor("every run of the grant to complete", async () => {
      const all = (await queue("provisioning").getJobs(["completed", "active", "waiting", "prioritized"])).filter((j) => j.data.grantId === grant.id);
      const states = await Promise.all(all.map((j) => j.getState()));
      return states.every((s) => s === "completed") && all;
    });
    expect(runs.filter((j) => !j.returnvalue.skipped).map((j) => j.returnvalue)).toEqual([{ state: "active" }]);
  });

  it("a stop that outlasts WORKER_SHUTDOWN_TIMEOUT_SECONDS exits 1 without its running job, which another worker finishes", async () => {
    await freshPrefix("jobs_stop");
    const setup = await jitReadyCustomer(msp);
    // Every Graph answer takes a second: the provisioning outlasts the one-second stop.
    await setMisbehaviour(setup.tenant.id, { latencyMs: 1_000 });
    const first = worker({ WORKER_SHUTDOWN_TIMEOUT_SECONDS: "1" });
    const grant = await request(setup);
    await waitFor("the provisioning to start", stateIs(grant.id, "provisioning"), { timeoutMs: 20_000, everyMs: 25 });
    expect(await first.stop()).toBe(1);
    expect(first.output()).toContain("worker stop timed out");
    await setMisbehaviour(setup.tenant.id, { latencyMs: 0 });
    worker();
    const active = await waitFor("another worker to finish the job", stateIs(grant.id, "active", "failed"), { timeoutMs: 25_000 });
    expect(active.state).toBe("active");
    expect((await accountsOfGrant(setup.tenant.id, grant)).users).toHaveLength(1);
  });

  it("a grant whose provisioning job crashed twice is still resolved (active, or failed and cleaned up)", async () => {
    await freshPrefix("jobs_b2");
    const setup = await jitReadyCustomer(msp);
    await setMisbehaviour(setup.tenant.id, { latencyMs: 250 });
    let current = worker();
    const grant = await request(setup);
    await waitFor("the account to be created", async () => (await inspectTenant(setup.tenant.id)).users.some((u) => u.userPrincipalName === grant.upn), { timeoutMs: 20_000, everyMs: 25 });
    await current.crash();
    current = worker();
    await waitFor(
      "the job to be taken over",
      async () => {
        const job = await queue("provisioning").getJob(`provision-${grant.id}`);
        return job && (await job.getState()) === "active" && job.attemptsStarted >= 2;
      },
      { timeoutMs: 20_000, everyMs: 25 },
    );
    await current.crash();
    worker();
    // The new worker boots (a few seconds under load), the dead one's lease lapses (JOB_LOCK_SECONDS = 2), and the
    // job or the sweeper's re-queue finishes a provisioning of about 2 s at 250 ms per Graph call.
    const resolved = await waitFor("the grant to leave provisioning", stateIs(grant.id, "active", "failed"), { timeoutMs: 12_000 }).catch(async (err: Error) => {
      const job = await queue("provisioning").getJob(`provision-${grant.id}`);
      throw new Error(`${err.message}; grant ${(await readGrant(msp.mspId, grant.id)).state}, job ${await job?.getState()}: ${job?.failedReason}`);
    });
    if (resolved.state === "active") expect((await accountsOfGrant(setup.tenant.id, grant)).users).toHaveLength(1);
    else expect((await accountsOfGrant(setup.tenant.id, grant)).users).toEqual([]);
  });

  /** Two active grants that end in two seconds, with their timers; then every key of the prefix is deleted. */
  async function flushWhileRunning() {
    const setups = [await jitReadyCustomer(msp), await jitReadyCustomer(msp)];
    const grants = await Promise.all(setups.map(request));
    for (const g of grants) expect((await waitFor("provisioning", stateIs(g.id, "active", "failed"), { timeoutMs: 20_000 })).state).toBe("active");
    const ends = (await sql`update grants set ends_at = now() + interval '2 seconds' where id in ${sql(grants.map((g) => g.id))} returning id, ends_at`) as unknown as { id: string; ends_at: Date }[];
    for (const e of ends) await scheduleExpiry({ id: e.id, mspId: msp.mspId, endsAt: e.ends_at });
    expect(await deleteQueueKeys(prefix)).toBeGreaterThan(0);
    await closeQueues();
    return { setups, grants };
  }

  async function expectEndedInTenant(setups: Awaited<ReturnType<typeof jitReadyCustomer>>[], grants: { id: string; upn: string }[], timeoutMs: number) {
    for (const [i, g] of grants.entries()) {
      const ended = await waitFor("the grant to end", stateIs(g.id, "ended", "irrevocable"), { timeoutMs });
      expect(ended.state).toBe("ended");
      expect(ended.usableTo!.getTime() - ended.endsAt!.getTime()).toBeLessThan(timeoutMs);
      expect((await accountsOfGrant(setups[i]!.tenant.id, g)).users[0]).toMatchObject({ accountEnabled: false, roles: [] });
    }
  }

  it("Redis flushed while grants run: the sweeper still ends them within seconds, verified in the tenant", async () => {
    await freshPrefix("jobs_c");
    worker();
    const { setups, grants } = await flushWhileRunning();
    await expectEndedInTenant(setups, grants, 6_000);
  });

  it("Redis flushed, then the worker restarted: overdue grants end at once (Postgres is the truth)", async () => {
    await freshPrefix("jobs_c2");
    const before = worker();
    const { setups, grants } = await flushWhileRunning();
    await before.stop();
    worker();
    await expectEndedInTenant(setups, grants, 10_000);
  });

  it("orphan reconciliation disables a Stint-tagged account without a live grant and leaves live ones alone", async () => {
    await freshPrefix("jobs_d");
    worker();
    const setup = await jitReadyCustomer(msp);
    const live = await request(setup);
    expect((await waitFor("provisioning", stateIs(live.id, "active", "failed"), { timeoutMs: 20_000 })).state).toBe("active");
    const orphan = await addTenantUser(setup.tenant.id, {
      userPrincipalName: `stint-orphan@${setup.domain}`,
      displayName: "Stint JIT admin (lost row)",
      roles: ["Helpdesk Administrator"],
      properties: { employeeType: "Stint JIT", employeeId: "gr_unknown12345" },
    });

    const job = await queue("maintenance").add("grant.reconcile_orphans", { mspId: msp.mspId });
    const done = await waitFor("the reconcile job", async () => ((await job.getState()) === "completed" || (await job.getState()) === "failed" ? job.id : null), { timeoutMs: 15_000 });
    const finished = await queue("maintenance").getJob(done);
    expect(await finished!.getState()).toBe("completed");

    const tenant = await inspectTenant(setup.tenant.id);
    expect(tenant.users.find((u) => u.id === orphan.id)).toMatchObject({ accountEnabled: false, roles: [] });
    const liveAccount = tenant.users.find((u) => u.userPrincipalName === live.upn)!;
    expect(liveAccount.accountEnabled).toBe(true);
    expect([...liveAccount.roles].sort()).toEqual(bothRoles);

    const rows = await sql`select entra_user_id, user_principal_name, grant_id, customer_id, disabled_at, detail from orphan_accounts where msp_id = ${msp.mspId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entra_user_id: orphan.id, user_principal_name: orphan.userPrincipalName, grant_id: "gr_unknown12345", customer_id: setup.customer.id });
    expect(rows[0]!.disabled_at).not.toBeNull();
    expect(rows[0]!.detail).toMatch(/1 role assignment\(s\) removed; none left; no Temporary Access Pass; none usable; account disabled/);
    const [event] = await auditOf(sql, msp.mspId, { action: "grant.orphan_found", targetId: orphan.id });
    expect(event).toMatchObject({ result: "success", actor_type: "system", metadata: { customer: setup.customer.id, grant: "gr_unknown12345" } });

    // A second scan finds it already disabled and without roles: nothing more to do or report.
    const again = await queue("maintenance").add("grant.reconcile_orphans", { mspId: msp.mspId });
    await waitFor("the second scan", async () => ((await again.getState()) === "completed" ? true : null), { timeoutMs: 15_000 });
    expect((await queue("maintenance").getJob(again.id!))!.returnvalue).toMatchObject({ disabled: 0, errors: 0 });
    expect(await auditOf(sql, msp.mspId, { action: "grant.orphan_found", targetId: orphan.id })).toHaveLength(1);
  });
});
