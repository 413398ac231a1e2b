import type postgres from "postgres";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { emulator } from "./emulator-client";
import { throttleWaits } from "./fetch-trace";
import { createConnectedCustomer, requestBenchGrant, type BenchCustomer, type BenchMsp } from "./fixtures";
import type { Harness } from "./harness";
import { LoopDelay } from "./loop-delay";
import { GRANT_ROLES, THROTTLE, THROUGHPUT_CAP_MS, THROUGHPUT_GRANTS, THROUGHPUT_TENANT_USERS, THROUGHPUT_TENANTS } from "./settings";
import { mapLimit, sleep, summary } from "./stats";

export type ThroughputResult = {
  grants: number;
  tenants: number;
  /** Writes per second each app+tenant pair may make under the scaled quota, and its bucket size. */
  tenantWritesPerSecond: number;
  tenantWriteBurst: number;
  /** Users in each tenant (deciding Graph's resource-unit quota) and that quota as scaled: RU per second. */
  tenantUsers: number;
  tenantResourceUnitsPerSecond: number;
  writesPerGrant: number;
  /** The throttle-bound maximum: Σ tenants' write rate ÷ writes per grant. */
  bound: number;
  /** The bound counting each tenant's initial full bucket too (what a perfect client could do in this run). */
  boundWithBurst: number;
  requestSeconds: number;
  /** First request → last grant active. */
  seconds: number;
  completed: number;
  throughput: number;
  /** Completions per second between the 10th and the 90th percentile completion. */
  steadyThroughput: number;
  states: Record<string, number>;
  cappedAt: number | null;
  perTenSeconds: number[];
  writesPerTenSeconds: number[];
  calls: { graph: number; writesAdmitted: number; writes: number; throttled: number; throttledWrites: number; login: number; routes: Record<string, number> };
  jobFailures: Record<string, number>;
  /** Provisioning job run time (start → return), and the provisioning slots busy on average over the run. */
  jobSeconds: { p50: number; p90: number; p99: number; mean: number };
  busySlots: number;
  /** Slot time spent sleeping out Retry-After inside jobs (seconds), as a share of all provisioning slot time. */
  retryAfterSeconds: number;
  retryAfterShare: number;
  loopDelay: { p50: number; p99: number; max: number };
  slots: number;
  provisionAttempts: Record<string, number>;
  verification: { accountsOk: number; missing: number; duplicates: number; missingRoles: number; disabled: number; strayStintAccounts: number };
};

/**
 * 3. Throughput under throttling: many grants over many tenants whose write quota is scaled down, so
 * Graph's throttling (not Stint) is the limit. Measures provisioning completions per second against
 * the bound the quota allows, then checks in Entra that nothing was lost or made twice.
 */
export async function measureThroughput(bench: BenchMsp, harness: Harness, sql: postgres.Sql): Promise<ThroughputResult> {
  const customers: BenchCustomer[] = await mapLimit(Array.from({ length: THROUGHPUT_TENANTS }, (_, i) => i), 6, (i) =>
    createConnectedCustomer(bench, `tp-${i}`, { misbehaviour: { throttle: THROTTLE }, users: THROUGHPUT_TENANT_USERS }),
  );
  const perTenant = Math.ceil(THROUGHPUT_GRANTS / THROUGHPUT_TENANTS);
  // Technician-major: the first pass touches every tenant once, then the second, … as a busy morning would.
  const pairs = bench.technicians
    .slice(0, perTenant)
    .flatMap((technician) => customers.map((customer) => ({ technician, customer })))
    .slice(0, THROUGHPUT_GRANTS);
  // Fresh, full token buckets for every tenant at the start line.
  for (const c of customers) await emulator.setMisbehaviour(c.tenantId, { throttle: THROTTLE });

  const loop = new LoopDelay();
  const startedAt = Date.now();
  const grants = await mapLimit(pairs, 8, ({ technician, customer }) => requestBenchGrant(bench, technician, customer));
  const requestSeconds = (Date.now() - startedAt) / 1000;
  const ids = grants.map((g) => g.id);

  type Row = { id: string; state: string; usable_from: Date | null; entra_user_id: string | null; upn: string; entra_tenant_id: string };
  let rows: Row[] = [];
  let cappedAt: number | null = null;
  let lastReport = Date.now();
  for (;;) {
    rows = await sql<Row[]>`select id, state, usable_from, entra_user_id, upn, entra_tenant_id from grants where id = any(${ids})`;
    const open = rows.filter((r) => r.state === "approved" || r.state === "provisioning").length;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      console.log(`bench:   throughput … ${rows.length - open}/${rows.length} done after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    }
    if (open === 0) break;
    if (Date.now() - startedAt > THROUGHPUT_CAP_MS) {
      cappedAt = Date.now() - startedAt;
      break;
    }
    await sleep(500);
  }
  const endedAt = Date.now();
  const loopDelay = loop.stop();
  const states: Record<string, number> = {};
  for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
  const done = rows.filter((r) => r.state === "active" && r.usable_from).map((r) => r.usable_from!.getTime()).sort((a, b) => a - b);
  const last = done.at(-1) ?? endedAt;
  const seconds = (last - startedAt) / 1000;
  const p10 = done[Math.floor(done.length * 0.1)];
  const p90 = done[Math.floor(done.length * 0.9)];
  const steadyThroughput = p10 !== undefined && p90 !== undefined && p90 > p10 ? (Math.floor(done.length * 0.9) - Math.floor(done.length * 0.1)) / ((p90 - p10) / 1000) : Number.NaN;
  const perTenSeconds = new Array<number>(Math.ceil((last - startedAt) / 10_000) || 1).fill(0);
  for (const t of done) perTenSeconds[Math.min(perTenSeconds.length - 1, Math.floor((t - startedAt) / 10_000))]! += 1;

  const tenantIds = customers.map((c) => c.tenantId);
  const stats = await emulator.stats({ tenantIds, from: startedAt - 10, to: endedAt });
  const perSecond = await emulator.writesPerSecond({ tenantIds, from: startedAt, to: last });
  const writesPerTenSeconds: number[] = [];
  for (let i = 0; i < perSecond.length; i += 10) writesPerTenSeconds.push(perSecond.slice(i, i + 10).reduce((a, b) => a + b, 0));

  // The bound, from the quota the emulator enforces (emulator/misbehaviour/throttle.ts scales 3,000 / 150 s).
  const burst = Math.max(1, Math.round(3_000 * THROTTLE.quotaScale));
  const windowSeconds = (150 * THROTTLE.windowScale);
  const tenantWritesPerSecond = burst / windowSeconds;
  // The account, its pass, and one write per role.
  const writesPerGrant = 2 + GRANT_ROLES.length;
  const bound = (customers.length * tenantWritesPerSecond) / writesPerGrant;
  const writesPerTenant = perTenant * writesPerGrant;
  const boundWithBurst = grants.length / Math.max(1e-9, (writesPerTenant - burst) / tenantWritesPerSecond);

  // Nothing lost, nothing twice: every grant has exactly one tagged account with every role, enabled.
  const byGrant = new Map(rows.map((r) => [r.id, r]));
  const verification = { accountsOk: 0, missing: 0, duplicates: 0, missingRoles: 0, disabled: 0, strayStintAccounts: 0 };
  await mapLimit(tenantIds, 8, async (tenantId) => {
    const tagged = await emulator.taggedUsers(tenantId, STINT_EMPLOYEE_TYPE);
    const ours = rows.filter((r) => r.entra_tenant_id === tenantId);
    for (const grant of ours) {
      const accounts = tagged.filter((u) => u.employeeId === grant.id);
      if (accounts.length === 0) verification.missing += 1;
      else if (accounts.length > 1) verification.duplicates += 1;
      else {
        const roles = new Set(accounts[0]!.roles);
        if (!GRANT_ROLES.every((r) => roles.has(r))) verification.missingRoles += 1;
        else if (!accounts[0]!.accountEnabled) verification.disabled += 1;
        else verification.accountsOk += 1;
      }
    }
    verification.strayStintAccounts += tagged.filter((u) => !byGrant.has(String(u.employeeId))).length;
  });

  const jobDurations = ids.map((id) => harness.provisioned.get(id)).filter((p) => p !== undefined).map((p) => (p.finishedAt - p.startedAt) / 1000);
  const jobStats = summary(jobDurations);
  const waits = throttleWaits(startedAt, endedAt);
  const attempts: Record<string, number> = {};
  for (const id of ids) {
    const n = harness.provisioned.get(id)?.attempts ?? 0;
    attempts[String(n)] = (attempts[String(n)] ?? 0) + 1;
  }

  return {
    grants: grants.length,
    tenants: customers.length,
    tenantWritesPerSecond,
    tenantWriteBurst: burst,
    tenantUsers: THROUGHPUT_TENANT_USERS,
    tenantResourceUnitsPerSecond: Math.max(1, Math.round((THROUGHPUT_TENANT_USERS < 50 ? 3_500 : THROUGHPUT_TENANT_USERS <= 500 ? 5_000 : 8_000) * THROTTLE.quotaScale)) / (10 * THROTTLE.windowScale),
    writesPerGrant,
    bound,
    boundWithBurst,
    requestSeconds,
    seconds,
    completed: done.length,
    throughput: done.length / seconds,
    steadyThroughput,
    states,
    cappedAt,
    perTenSeconds,
    writesPerTenSeconds,
    calls: {
      graph: stats.graph,
      writesAdmitted: stats.writesAdmitted,
      writes: stats.writes,
      throttled: stats.throttled,
      throttledWrites: stats.throttledWrites,
      login: stats.login,
      routes: stats.byRoute,
    },
    jobFailures: harness.failureSummary(new Set(ids)),
    jobSeconds: { p50: jobStats.p50, p90: jobStats.p90, p99: jobStats.p99, mean: jobStats.mean },
    busySlots: jobDurations.reduce((a, b) => a + b, 0) / seconds,
    retryAfterSeconds: waits.totalMs / 1000,
    retryAfterShare: waits.totalMs / 1000 / Math.max(1e-9, jobDurations.reduce((a, b) => a + b, 0)),
    slots: harness.concurrency.provisioning,
    loopDelay,
    provisionAttempts: attempts,
    verification,
  };
}
