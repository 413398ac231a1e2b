/**
 * The Stint side of `npm run bench`, started by bench/run.ts with Stint's configuration in its environment
 * (so lib/env.ts, which reads process.env at import time, and Node's NODE_EXTRA_CA_CERTS both see it).
 * Runs Stint's BullMQ workers in this process, then the measurements (bench/token-read.ts starts `next start`
 * itself), then reports.
 */
import os from "node:os";
import { PerformanceObserver } from "node:perf_hooks";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { env, requireOwnerDatabaseUrl } from "@/lib/env";
import { closeQueues } from "@/lib/queue/producer";
import { getRedis } from "@/lib/redis";
import { closeEmulatorChannel } from "./emulator-client";
import { measureExpiry } from "./expiry";
import { installFetchTrace } from "./fetch-trace";
import { createBenchMsp } from "./fixtures";
import { Harness } from "./harness";
import { probeIsolation } from "./isolation";
import { measureLatency } from "./latency";
import { printResults, writeResults, type Results } from "./report";
import { EXPIRY_GRANTS, EXPIRY_TENANTS, LATENCY_GRANTS, THROUGHPUT_GRANTS, THROUGHPUT_TENANTS } from "./settings";
import { measureThroughput } from "./throughput";
import { measureTokenRead } from "./token-read";

const phase = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  console.log(`bench: ${label} …`);
  const result = await run();
  console.log(`bench: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
};

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? "latency,expiry,throughput,token-read").split(",").map((s) => s.trim()));
  installFetchTrace();
  if (process.env.BENCH_DEBUG) logLongGcPauses();
  const sql = postgres(requireOwnerDatabaseUrl(), { max: 2, onnotice: () => {} });
  const harness = new Harness();
  try {
    await harness.start();
    const technicians = Math.max(LATENCY_GRANTS + 1, Math.ceil(EXPIRY_GRANTS / EXPIRY_TENANTS), Math.ceil(THROUGHPUT_GRANTS / THROUGHPUT_TENANTS));
    const bench = await phase(`setup: one MSP, ${technicians} technicians`, () => createBenchMsp(technicians));

    const results: Results = { run: await runInfo(sql, harness) };
    if (only.has("latency")) results.latency = await phase("1. request → usable credential", () => measureLatency(bench, harness, sql));
    if (only.has("expiry")) results.expiry = await phase("2. expiry lateness", () => measureExpiry(bench, harness, sql));
    if (only.has("throughput")) results.throughput = await phase("3. throughput under throttling", () => measureThroughput(bench, harness, sql));
    if (only.has("token-read")) results.tokenRead = await phase("4. token-authenticated read (GET /api/v1/grants)", () => measureTokenRead(bench));
    if (only.has("isolation")) results.isolation = await phase("probe: expiry isolation from a misbehaving tenant", () => probeIsolation(bench, harness, sql));

    results.run.durationSeconds = (Date.now() - Number(process.env.BENCH_STARTED_AT ?? Date.now())) / 1000;
    printResults(results);
    if (process.env.BENCH_NO_WRITE !== "1") console.log(`bench: results written to ${await writeResults(results)}`);
  } finally {
    await harness.stop();
    await closeQueues();
    await closeDb();
    await sql.end({ timeout: 5 });
    await getRedis().quit();
    closeEmulatorChannel();
  }
}

/** BENCH_DEBUG=1: garbage-collection pauses over 10 ms, to tell them apart from other event-loop delay. */
function logLongGcPauses(): void {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.duration > 10) console.log(`bench: gc pause ${e.duration.toFixed(0)} ms (kind ${(e as unknown as { detail?: { kind?: number } }).detail?.kind}), heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
    }
  }).observe({ entryTypes: ["gc"] });
}

async function runInfo(sql: postgres.Sql, harness: Harness): Promise<Results["run"]> {
  const [pg] = await sql<{ version: string }[]>`select version()`;
  const redisInfo = await getRedis().info("server");
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pg?.version.split(" on ")[0] ?? "unknown",
    redis: /redis_version:(\S+)/.exec(redisInfo)?.[1] ?? "unknown",
    redisHz: process.env.BENCH_REDIS_HZ ?? "?",
    redisHzBefore: process.env.BENCH_REDIS_HZ_BEFORE ?? "?",
    maxmemoryPolicy: process.env.BENCH_REDIS_MAXMEMORY_POLICY ?? "?",
    workerConcurrency: harness.concurrency,
    dbPoolMax: env.DB_POOL_MAX,
    sweepSeconds: env.SWEEP_EVERY_SECONDS,
    durationSeconds: 0,
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  },
);
