/**
 * `npm run soak`: the fault-matrix run. This launcher owns everything outside Stint and cleans it up:
 * the Entra emulator (in this process, with its control API, the request tap and the Graph watch), Redis
 * `hz 100` for the run, and per scenario a fresh database and queue prefix. Each scenario runs in its own
 * child process (bench/soak/driver.ts, Stint's environment), which starts the two worker processes.
 *
 *   npm run soak                          # every scenario; writes docs/reliability.md
 *   npm run soak -- --scenario kills,storm  # some; add --write to update docs/reliability.md too
 *
 * Exits non-zero when a scenario misses a target or does not finish.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { Redis } from "ioredis";
import { defaultStateDir, startEmulator } from "@/emulator/server";
import { ensureTls } from "@/emulator/tls";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import { adminUrl, createDatabase, dropDatabase } from "@/test/db";
import { answer, RequestTap, type RpcRequest } from "../emulator-host";
import { deleteKeys } from "../redis-keys";
import { EMULATOR_LATENCY_MS, GRANT_ROLES, REDIS_HZ } from "../settings";
import { stintEnvironment } from "../stint-env";
import { soakOps, type SoakOps } from "./emulator-ops";
import { GraphWatch } from "./graph-watch";
import type { ScenarioResult } from "./judge";
import { missed, printOutcomes, writeOutcomes, type ScenarioOutcome, type SoakRun } from "./report";
import { scenarioNames, scenarios, type ScenarioName } from "./scenarios";
import { JOB_LOCK_SECONDS, SWEEP_EVERY_SECONDS, WATCH_EVERY_MS, WORKER_PROCESSES } from "./settings";

const repo = path.resolve(import.meta.dirname, "../..");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

function parseArgs(argv: string[]): { names: ScenarioName[]; write: boolean } {
  const i = argv.indexOf("--scenario");
  const asked = i === -1 ? [...scenarioNames] : (argv[i + 1] ?? "").split(",").map((s) => s.trim());
  const unknown = asked.filter((n) => !scenarioNames.includes(n as ScenarioName));
  if (unknown.length || asked.length === 0) throw new Error(`unknown scenario ${unknown.join(", ") || "(none)"}; choose from ${scenarioNames.join(", ")}`);
  return { names: asked as ScenarioName[], write: i === -1 || argv.includes("--write") };
}

let driver: ChildProcess | undefined;

/** One scenario in its own driver process, on its own database and queue prefix. */
async function runScenario(name: ScenarioName, lab: { ops: SoakOps; env: Omit<Parameters<typeof stintEnvironment>[0], "database" | "queuePrefix">; redis: Redis }): Promise<ScenarioOutcome> {
  const dbName = `stint_soak_${name.replace(/-/g, "_")}_${Date.now()}`;
  const queuePrefix = `stint-soak-${randomBytes(4).toString("hex")}`;
  const resultFile = path.join(os.tmpdir(), `${queuePrefix}.json`);
  const database = await createDatabase(dbName);
  const started = Date.now();
  const cpuBefore = cpuTimes();
  console.log(`soak: ${scenarios[name].title} — database ${dbName}, queue prefix ${queuePrefix}`);
  try {
    driver = spawn(process.execPath, ["--import", "tsx", path.join(repo, "bench/soak/driver.ts")], {
      cwd: repo,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...stintEnvironment({ ...lab.env, database, queuePrefix }), SOAK_SCENARIO: name, SOAK_RESULT_FILE: resultFile },
    });
    const child = driver;
    child.on("message", (message: RpcRequest) => {
      void answer(lab.ops, message).then((reply) => {
        if (child.connected) child.send(reply);
      });
    });
    const code = await new Promise<number>((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    if (code !== 0) return { name, title: scenarios[name].title, error: `the driver exited with ${code}` };
    const result = JSON.parse(await readFile(resultFile, "utf8")) as ScenarioResult;
    return { ...result, cpuBusyPercent: busyPercent(cpuBefore, cpuTimes()) };
  } finally {
    driver = undefined;
    console.log(`soak: ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    await rm(resultFile, { force: true });
    await dropDatabase(dbName).catch((err: unknown) => console.error(`soak: could not drop ${dbName}:`, err));
    await deleteKeys(lab.redis, `${queuePrefix}:*`);
  }
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** How busy the whole machine was (every process, not only Stint's): other work on the 2 cores slows every figure. */
function busyPercent(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  return Math.round((100 * (b.busy - a.busy)) / Math.max(1, b.total - a.total));
}

async function main(): Promise<number> {
  const { names, write } = parseArgs(process.argv.slice(2));
  const startedAt = Date.now();
  const tls = await ensureTls(defaultStateDir);
  const emulator = await startEmulator({ testControl: true, latencyMs: EMULATOR_LATENCY_MS, port: 0 });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const previousHz = ((await redis.config("GET", "hz")) as string[])[1] ?? "10";
  const tap = new RequestTap(emulator.control);
  const tapTimer = setInterval(() => tap.drain(), 100);
  const watch = new GraphWatch(emulator.control, GRANT_ROLES, WATCH_EVERY_MS);
  const stop = async () => {
    clearInterval(tapTimer);
    watch.stop();
    await redis.config("SET", "hz", previousHz).catch(() => {});
    await redis.quit().catch(() => {});
    await emulator.stop();
  };
  process.once("SIGINT", () => {
    console.error("soak: interrupted, stopping");
    driver?.kill("SIGTERM");
  });
  try {
    await redis.config("SET", "hz", String(REDIS_HZ));
    const app = emulator.control.registerApp({
      displayName: "Stint (soak)",
      requiredPermissions: [...requiredGraphPermissions],
      redirectUris: ["http://localhost:3000/api/entra/consent/callback"],
    });
    const lab = { ops: soakOps(emulator.control, tap, watch), env: { caCertPath: tls.caCertPath, emulatorUrl: emulator.url, app, redisUrl }, redis };
    const outcomes: ScenarioOutcome[] = [];
    for (const name of names) outcomes.push(await runScenario(name, lab));
    const run = await describeRun(redis, startedAt);
    printOutcomes(run, outcomes);
    if (write) console.log(`\nsoak: results written to ${await writeOutcomes(run, outcomes)}`);
    const failing = outcomes.filter((o) => missed(o).length);
    if (failing.length) console.log(`\nsoak: targets missed in ${failing.map((o) => o.name).join(", ")}`);
    return failing.length ? 1 : 0;
  } finally {
    await stop();
  }
}

async function describeRun(redis: Redis, startedAt: number): Promise<SoakRun> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const [pg] = await admin<{ version: string }[]>`select version()`;
  await admin.end();
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
  // The product under test: the last commit that changed it, and whether the working tree differs from it.
  const product = ["jobs", "lib", "db", "emulator"];
  const dirty = git("status", "--porcelain", "--", ...product) ? " with local changes" : "";
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: `${git("log", "-1", "--format=%h", "--", ...product)}${dirty}`,
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`,
    node: process.version,
    postgres: pg?.version.split(" on ")[0] ?? "unknown",
    redis: /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown",
    jobLockSeconds: JOB_LOCK_SECONDS,
    sweepSeconds: SWEEP_EVERY_SECONDS,
    workers: `${WORKER_PROCESSES} worker processes (jobs/worker.ts)`,
    emulatorLatencyMs: EMULATOR_LATENCY_MS,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("soak failed:", err);
    process.exit(1);
  },
);
