/**
 * One soak scenario, started by bench/soak/run.ts with Stint's configuration in its environment: sets up an
 * MSP and the scenario's tenants, starts the two worker processes, requests grants as technicians would
 * while the scenario's disturbance runs, then judges what Graph shows and writes the result to
 * SOAK_RESULT_FILE.
 */
import { writeFile } from "node:fs/promises";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { env, requireOwnerDatabaseUrl } from "@/lib/env";
import { closeQueues } from "@/lib/queue/producer";
import { getRedis } from "@/lib/redis";
import { closeEmulatorChannel, remoteOps } from "../emulator-client";
import { createBenchMsp, createConnectedCustomer, type BenchMsp } from "../fixtures";
import { sleep } from "../stats";
import { ConsentRevocation, NoDisturbance, RedisKeyLoss, WorkerKills, type Disturbance } from "./disturbances";
import type { SoakOps } from "./emulator-ops";
import { readExpirySteps } from "./expiry-steps";
import { judge, type ScenarioResult } from "./judge";
import { scenarios, type Scenario, type ScenarioName } from "./scenarios";
import { CONSENT_TOKEN_LIFETIME_SECONDS, GRANTS_PER_TENANT, POLL_EVERY_MS, SETTLE_MS, TECHNICIANS } from "./settings";
import { Traffic, type SoakCustomer } from "./traffic";
import { WorkerPool } from "./worker-pool";

const emulator = remoteOps<SoakOps>();

async function runScenario(scenario: Scenario, sql: postgres.Sql): Promise<ScenarioResult> {
  const bench = await createBenchMsp(TECHNICIANS);
  const customers: SoakCustomer[] = [];
  for (const plan of scenario.tenants) {
    const customer = await createConnectedCustomer(bench, plan.label, { misbehaviour: plan.misbehaviour });
    if (plan.kind === "pass-refused") await emulator.setTapPolicy(customer.tenantId, { state: "disabled" });
    customers.push({ ...customer, plan });
  }
  const tenantIds = customers.map((c) => c.tenantId);
  const tokenLifetime = (await emulator.configure({})).tokenLifetimeSeconds;
  if (scenario.disturbance === "consent") await emulator.configure({ tokenLifetimeSeconds: CONSENT_TOKEN_LIFETIME_SECONDS });

  const pool = new WorkerPool(env.QUEUE_PREFIX);
  // Interrupted (the launcher's Ctrl-C): the worker processes must not outlive the run.
  process.once("SIGTERM", () => void pool.crashAll().then(() => process.exit(130)));
  const traffic = new Traffic(bench, customers, sql);
  let disturbance: Disturbance = new NoDisturbance();
  try {
    await pool.start();
    await emulator.watch(tenantIds);
    const startedAt = Date.now();
    disturbance = disturbanceOf(scenario, { pool, customers, bench, sql, startedAt });
    const requesting = traffic.requestAll();
    for (;;) {
      await traffic.tick();
      await disturbance.tick(traffic);
      const settled = traffic.requestsDoneAt !== null && Date.now() >= disturbance.settledAt();
      if (settled && traffic.allFinal()) break;
      if (Date.now() > Math.max(traffic.lastEvent(), disturbance.settledAt()) + SETTLE_MS) break;
      await sleep(POLL_EVERY_MS);
    }
    await requesting;
    await disturbance.stop();
    // Whatever Graph calls were in flight land before the snapshot.
    await sleep(1_000);
    await traffic.tick();
    const finishedAt = Date.now();
    const tenants = await Promise.all(
      tenantIds.map(async (id) => {
        const t = await emulator.inspectTenant(id);
        return { tenantId: t.id, users: t.users, deletedUsers: t.deletedUsers, revocations: t.revocations };
      }),
    );
    const { notes, checks } = disturbance.account();
    return judge({
      scenario,
      grants: [...traffic.grants.values()],
      rows: traffic.rows,
      expirySteps: await readExpirySteps(sql),
      traces: await emulator.releaseTraces(tenantIds),
      tenants,
      refusals: traffic.refusals,
      unreachable: disturbance.unreachable(),
      checks,
      notes,
      graph: await emulator.stats({ tenantIds, from: startedAt }),
      jobFailures: pool.jobFailures(),
      errors: traffic.errors,
      startedAt,
      finishedAt,
    });
  } finally {
    await disturbance.stop().catch(() => {});
    await pool.stop();
    await emulator.configure({ tokenLifetimeSeconds: tokenLifetime });
  }
}

function disturbanceOf(
  scenario: Scenario,
  s: { pool: WorkerPool; customers: SoakCustomer[]; bench: BenchMsp; sql: postgres.Sql; startedAt: number },
): Disturbance {
  switch (scenario.disturbance) {
    case "kills":
      return new WorkerKills(s.pool);
    case "redis-loss":
      return new RedisKeyLoss(getRedis(), env.QUEUE_PREFIX, s.startedAt);
    case "consent":
      return new ConsentRevocation(s.customers[0]!, env.ENTRA_CLIENT_ID!, s.bench.technicians.slice(GRANTS_PER_TENANT), s.sql, s.startedAt);
    case "none":
      return new NoDisturbance();
  }
}

async function main(): Promise<void> {
  const name = process.env.SOAK_SCENARIO as ScenarioName;
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const sql = postgres(requireOwnerDatabaseUrl(), { max: 2, onnotice: () => {} });
  try {
    const result = await runScenario(scenario, sql);
    await writeFile(process.env.SOAK_RESULT_FILE!, JSON.stringify(result, null, 2));
  } finally {
    await closeQueues();
    await closeDb();
    await sql.end({ timeout: 5 });
    await getRedis().quit();
    closeEmulatorChannel();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`soak (${process.env.SOAK_SCENARIO}) failed:`, err);
    process.exit(1);
  },
);
