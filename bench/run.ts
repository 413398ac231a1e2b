/**
 * `npm run bench`: the launcher. It owns everything outside Stint and cleans it up again:
 *
 * - the Entra emulator (in this process, with its control API, 50 ms per call) and its CA;
 * - Redis `hz 100` for the run (the previous value is restored);
 * - a fresh Postgres database with Stint's migrations (dropped at the end);
 * - a Stint app registration in the emulator.
 *
 * Stint itself runs in a child process (bench/main.ts): Node reads NODE_EXTRA_CA_CERTS only at start-up,
 * and lib/env.ts reads its configuration at import time, so the child gets both from its environment.
 * The child drives the emulator's control operations over IPC (bench/emulator-host.ts).
 *
 * Exits non-zero only on errors; missed targets are reported, not failed.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import { defaultStateDir, startEmulator } from "@/emulator/server";
import { ensureTls } from "@/emulator/tls";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import { createDatabase, dropDatabase } from "@/test/db";
import { answer, emulatorOps, RequestTap, type RpcRequest } from "./emulator-host";
import { deleteKeys } from "./redis-keys";
import { stintEnvironment } from "./stint-env";
import { EMULATOR_LATENCY_MS, REDIS_HZ } from "./settings";

const repo = path.resolve(import.meta.dirname, "..");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function main(): Promise<number> {
  const startedAt = Date.now();
  const cleanups: { label: string; run: () => Promise<unknown> }[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) {
      await c.run().catch((err: unknown) => console.error(`bench: cleanup "${c.label}" failed:`, err instanceof Error ? err.message : err));
    }
    cleanups.length = 0;
  };

  let child: ReturnType<typeof spawn> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`bench: ${signal}, stopping`);
    if (child?.pid && child.exitCode === null) child.kill("SIGTERM");
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const tls = await ensureTls(defaultStateDir);
    const emulator = await startEmulator({ testControl: true, latencyMs: EMULATOR_LATENCY_MS, port: 0 });
    cleanups.push({ label: "stop emulator", run: () => emulator.stop() });
    const app = emulator.control.registerApp({
      displayName: "Stint (bench)",
      requiredPermissions: [...requiredGraphPermissions],
      redirectUris: ["http://localhost:3000/api/entra/consent/callback"],
    });
    const tap = new RequestTap(emulator.control);
    const tapTimer = setInterval(() => tap.drain(), 100);
    cleanups.push({ label: "request tap", run: async () => clearInterval(tapTimer) });

    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    cleanups.push({ label: "redis connection", run: () => redis.quit() });
    const previousHz = ((await redis.config("GET", "hz")) as string[])[1] ?? "10";
    const maxmemoryPolicy = ((await redis.config("GET", "maxmemory-policy")) as string[])[1] ?? "unknown";
    await redis.config("SET", "hz", String(REDIS_HZ));
    cleanups.push({ label: `restore Redis hz ${previousHz}`, run: () => redis.config("SET", "hz", previousHz) });
    const queuePrefix = `stint-bench-${randomBytes(4).toString("hex")}`;
    cleanups.push({ label: "delete the run's Redis keys", run: () => deleteKeys(redis, `${queuePrefix}:*`) });

    const dbName = `stint_bench_${Date.now()}_${process.pid}`;
    const database = await createDatabase(dbName);
    cleanups.push({ label: `drop database ${dbName}`, run: () => dropDatabase(dbName) });
    console.log(`bench: emulator ${emulator.url} (latency ${EMULATOR_LATENCY_MS} ms), database ${dbName}, Redis hz ${previousHz} → ${REDIS_HZ} (maxmemory-policy ${maxmemoryPolicy}), queue prefix ${queuePrefix}`);

    const ops = emulatorOps(emulator.control, tap);
    child = spawn(process.execPath, ["--import", "tsx", path.join(repo, "bench/main.ts")], {
      cwd: repo,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: {
        ...stintEnvironment({ caCertPath: tls.caCertPath, emulatorUrl: emulator.url, app, database, redisUrl, queuePrefix }),
        WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? process.env.WORKER_CONCURRENCY ?? "5",
        BENCH_EMULATOR_URL: emulator.url,
        BENCH_REDIS_HZ_BEFORE: previousHz,
        BENCH_REDIS_HZ: String(REDIS_HZ),
        BENCH_REDIS_MAXMEMORY_POLICY: maxmemoryPolicy,
        BENCH_STARTED_AT: String(startedAt),
      },
    });
    child.on("message", (message: RpcRequest) => {
      void answer(ops, message).then((reply) => {
        if (child?.connected) child.send(reply);
      });
    });
    const code = await new Promise<number>((resolve) => child!.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
    return code;
  } finally {
    await cleanup();
    console.log(`bench: done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error("bench failed:", err);
    process.exit(1);
  },
);
