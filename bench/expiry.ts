import type postgres from "postgres";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import { emulator } from "./emulator-client";
import { createConnectedCustomer, requestBenchGrant, type BenchCustomer, type BenchMsp } from "./fixtures";
import type { Harness } from "./harness";
import { LoopDelay } from "./loop-delay";
import { EXPIRY_GRANTS, EXPIRY_LEAD_MS, EXPIRY_SPACING_MS, EXPIRY_TENANTS } from "./settings";
import { mapLimit, sleep, summary, type Summary } from "./stats";

export type ExpiryResult = {
  grants: number;
  tenants: number;
  endsPerSecond: number;
  /** The expiry job started (BullMQ's delayed job fired and a worker took it) − ends_at. */
  timer: Summary;
  /** expiry_started_at (the grant entered `expiring`) − ends_at. */
  start: Summary;
  /** usable_to (every expiry action done and verified by reading Graph back; the grant `ended`) − ends_at. */
  complete: Summary;
  /** usable_to − expiry_started_at. */
  work: Summary;
  ended: number;
  notEnded: Record<string, number>;
  verifiedInEntra: number;
  graphCallsPerExpiry: number;
  writesPerExpiry: number;
  failures: Record<string, number>;
  /** Expiry jobs per grant that ran the expiry actions, and how many grants had more than one. */
  jobsPerGrant: Record<string, number>;
  loopDelay: { p50: number; p99: number; max: number };
};

/**
 * 2. Expiry lateness: active grants whose ends_at is moved a few seconds ahead (one every 100 ms, so a
 * steady stream of ends rather than one burst), with the expiry timer re-scheduled as an extension does.
 */
export async function measureExpiry(bench: BenchMsp, harness: Harness, sql: postgres.Sql): Promise<ExpiryResult> {
  const perTenant = Math.ceil(EXPIRY_GRANTS / EXPIRY_TENANTS);
  const customers: BenchCustomer[] = [];
  for (let i = 0; i < EXPIRY_TENANTS; i++) customers.push(await createConnectedCustomer(bench, `expiry-${i}`));
  const pairs = customers.flatMap((c) => bench.technicians.slice(0, perTenant).map((t) => ({ technician: t, customer: c }))).slice(0, EXPIRY_GRANTS);
  const grants = await mapLimit(pairs, 4, ({ technician, customer }) => requestBenchGrant(bench, technician, customer));
  const provisioned = await Promise.all(grants.map((g) => harness.waitProvisioned(g.id)));
  const notActive = provisioned.filter((p) => p.state !== "active").length;
  if (notActive) throw new Error(`${notActive} expiry-phase grants did not become active`);
  await sleep(500);

  const loop = new LoopDelay();
  const firstEnd = Date.now() + EXPIRY_LEAD_MS;
  const ends = new Map<string, number>();
  for (const [i, grant] of grants.entries()) {
    const endsAt = new Date(firstEnd + i * EXPIRY_SPACING_MS);
    await sql`update grants set ends_at = ${endsAt}, updated_at = now() where id = ${grant.id} and state = 'active'`;
    await scheduleExpiry({ id: grant.id, mspId: grant.mspId, endsAt });
    ends.set(grant.id, endsAt.getTime());
  }
  if (Date.now() >= firstEnd) console.error("bench: scheduling the expiry phase took longer than its lead time; lateness includes that");
  const lastEnd = firstEnd + (grants.length - 1) * EXPIRY_SPACING_MS;

  const ids = grants.map((g) => g.id);
  type Row = { id: string; state: string; ends_at: Date; expiry_started_at: Date | null; usable_to: Date | null };
  let rows: Row[] = [];
  const deadline = lastEnd + 60_000;
  for (;;) {
    rows = await sql<Row[]>`select id, state, ends_at, expiry_started_at, usable_to from grants where id = any(${ids})`;
    if (rows.every((r) => ["ended", "revoked", "irrevocable", "failed"].includes(r.state)) || Date.now() > deadline) break;
    await sleep(250);
  }
  const loopDelay = loop.stop();
  if (process.env.BENCH_DEBUG) console.log("maintenance during expiry:", JSON.stringify(harness.maintenanceRuns.filter((m) => m.finishedAt >= firstEnd - 3000).map((m) => ({ job: m.job, at: m.startedAt - firstEnd, ms: m.finishedAt - m.startedAt }))));
  await sleep(300); // let any duplicate expiry job finish, so the counts below are complete
  const done = rows.filter((r) => r.state === "ended" && r.expiry_started_at && r.usable_to);
  const notEnded: Record<string, number> = {};
  for (const r of rows) if (r.state !== "ended") notEnded[r.state] = (notEnded[r.state] ?? 0) + 1;

  const calls = await emulator.stats({ tenantIds: customers.map((c) => c.tenantId), from: firstEnd - 50, to: Date.now() });

  // Entra agrees: each account disabled, without roles, its sessions revoked.
  const upns = new Map(grants.map((g) => [g.upn.toLowerCase(), g.id]));
  let verifiedInEntra = 0;
  for (const customer of customers) {
    const tenant = await emulator.inspectTenant(customer.tenantId);
    for (const user of tenant.users) {
      if (!upns.has(user.userPrincipalName.toLowerCase())) continue;
      const revoked = tenant.revocations.some((r) => r.userId === user.id);
      if (!user.accountEnabled && user.roles.length === 0 && revoked) verifiedInEntra += 1;
    }
  }

  const since = (r: Row, t: Date | null) => (t ? t.getTime() - r.ends_at.getTime() : Number.NaN);
  return {
    grants: grants.length,
    tenants: customers.length,
    endsPerSecond: 1000 / EXPIRY_SPACING_MS,
    timer: summary(ids.map((id) => (harness.expireStarts.get(id) ?? Number.NaN) - ends.get(id)!).filter(Number.isFinite)),
    start: summary(done.map((r) => since(r, r.expiry_started_at))),
    complete: summary(done.map((r) => since(r, r.usable_to))),
    work: summary(done.map((r) => r.usable_to!.getTime() - r.expiry_started_at!.getTime())),
    ended: done.length,
    notEnded,
    verifiedInEntra,
    graphCallsPerExpiry: calls.graph / Math.max(1, done.length),
    writesPerExpiry: calls.writesAdmitted / Math.max(1, done.length),
    failures: harness.failureSummary(new Set(ids)),
    jobsPerGrant: countBy(ids.map((id) => (harness.expireRuns.get(id) ?? 0) - (harness.expireSkips.get(id) ?? 0))),
    loopDelay,
  };
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}
