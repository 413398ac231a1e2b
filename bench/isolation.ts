import type postgres from "postgres";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import { emulator } from "./emulator-client";
import { createConnectedCustomer, requestBenchGrant, type BenchMsp } from "./fixtures";
import type { Harness } from "./harness";
import { sleep, summary, type Summary } from "./stats";

/**
 * Optional probe (BENCH_ONLY=isolation; not part of the default run): does one misbehaving customer delay
 * another customer's expiry? It must never. Grants on a tenant whose Graph answers every call
 * with 503 and Retry-After 20 s end together; a few grants on a healthy tenant end a second later; the
 * healthy ones' expiry start lateness is the answer. (A 429 with Retry-After ≤ 30 s takes the same path in
 * lib/entra/graph-retry.ts: the wait is slept inside the job. The emulator's throttle knob cannot show it
 * cleanly: its one quotaScale also shrinks the read quota, whose short Retry-Afters fail the job first.)
 */
export type IsolationResult = {
  throttledGrants: number;
  retryAfterSeconds: number;
  healthyGrants: number;
  expirySlots: number;
  healthyStart: Summary;
  healthyComplete: Summary;
  healthyEnded: number;
  throttledEndedWithinCap: number;
  capSeconds: number;
};

const THROTTLED_GRANTS = 25;
const HEALTHY_GRANTS = 5;
const CAP_MS = 90_000;
const RETRY_AFTER_SECONDS = 20;

export async function probeIsolation(bench: BenchMsp, harness: Harness, sql: postgres.Sql): Promise<IsolationResult> {
  const throttled = await createConnectedCustomer(bench, "iso-x");
  const healthy = await createConnectedCustomer(bench, "iso-ok");
  const techs = bench.technicians;
  if (techs.length < THROTTLED_GRANTS) throw new Error(`isolation needs ${THROTTLED_GRANTS} technicians`);
  const throttledGrants = await Promise.all(techs.slice(0, THROTTLED_GRANTS).map((t) => requestBenchGrant(bench, t, throttled)));
  const healthyGrants = await Promise.all(techs.slice(0, HEALTHY_GRANTS).map((t) => requestBenchGrant(bench, t, healthy)));
  await Promise.all([...throttledGrants, ...healthyGrants].map((g) => harness.waitProvisioned(g.id)));
  const failed = await sql<{ failure_reason: string }[]>`select failure_reason from grants where id = any(${[...throttledGrants, ...healthyGrants].map((g) => g.id)}) and state <> 'active'`;
  if (failed.length) throw new Error(`isolation: ${failed.length} grants did not become active: ${failed[0]!.failure_reason}`);

  await emulator.setMisbehaviour(throttled.tenantId, { faults: { rate: 1, status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS } });
  const t0 = Date.now() + 2_000;
  for (const g of throttledGrants) {
    await sql`update grants set ends_at = ${new Date(t0)} where id = ${g.id}`;
    await scheduleExpiry({ id: g.id, mspId: g.mspId, endsAt: new Date(t0) });
  }
  const healthyEnd = new Date(t0 + 1_000);
  for (const g of healthyGrants) {
    await sql`update grants set ends_at = ${healthyEnd} where id = ${g.id}`;
    await scheduleExpiry({ id: g.id, mspId: g.mspId, endsAt: healthyEnd });
  }

  type Row = { id: string; state: string; ends_at: Date; expiry_started_at: Date | null; usable_to: Date | null };
  const healthyIds = healthyGrants.map((g) => g.id);
  let rows: Row[] = [];
  while (Date.now() < t0 + CAP_MS) {
    rows = await sql<Row[]>`select id, state, ends_at, expiry_started_at, usable_to from grants where id = any(${healthyIds})`;
    if (rows.every((r) => r.state === "ended")) break;
    await sleep(250);
  }
  const [counted] = await sql<{ count: number }[]>`select count(*)::int as count from grants where id = any(${throttledGrants.map((g) => g.id)}) and state = 'ended'`;
  const count = counted?.count ?? 0;
  if (process.env.BENCH_DEBUG) {
    const x = await sql`select state, count(*)::int from grants where id = any(${throttledGrants.map((g) => g.id)}) group by state`;
    console.log("throttled states", JSON.stringify(x), "expire starts X", JSON.stringify(throttledGrants.map((g) => (harness.expireStarts.get(g.id) ?? 0) - t0)), "Y", JSON.stringify(healthyGrants.map((g) => (harness.expireStarts.get(g.id) ?? 0) - t0)));
    console.log("X calls", JSON.stringify(await emulator.stats({ tenantIds: [throttled.tenantId], from: t0 - 100 })));
    console.log("failures", JSON.stringify(harness.failureSummary(new Set(throttledGrants.map((g) => g.id)))));
  }
  // Let the misbehaving tenant's jobs finish so the worker can close.
  await emulator.setMisbehaviour(throttled.tenantId, { faults: null });
  const started = rows.filter((r) => r.expiry_started_at).map((r) => r.expiry_started_at!.getTime() - r.ends_at.getTime());
  const completed = rows.filter((r) => r.usable_to).map((r) => r.usable_to!.getTime() - r.ends_at.getTime());
  return {
    throttledGrants: throttledGrants.length,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    healthyGrants: healthyGrants.length,
    expirySlots: harness.concurrency.expiry,
    healthyStart: summary(started),
    healthyComplete: summary(completed),
    healthyEnded: rows.filter((r) => r.state === "ended").length,
    throttledEndedWithinCap: count,
    capSeconds: CAP_MS / 1000,
  };
}
