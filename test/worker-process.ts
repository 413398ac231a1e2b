import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..");

export type WorkerProcess = {
  pid: number;
  /** Everything the worker wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals>;
  /** SIGKILL: the process dies mid-job, holding its BullMQ locks, as in a crash or an OOM kill. */
  crash: () => Promise<number | NodeJS.Signals>;
  /** SIGTERM: the graceful stop jobs/worker.ts implements. */
  stop: () => Promise<number | NodeJS.Signals>;
};

/**
 * Starts the real worker (jobs/worker.ts) as its own process against this run's Postgres, Redis and emulator:
 * DATABASE_URL, ENTRA_*, GRAPH_BASE_URL, NODE_EXTRA_CA_CERTS and ENCRYPTION_KEYS come from this process's
 * environment (test/global-setup.ts and test/emulator-setup.ts set them). Node runs tsx as a loader
 * (`node --import tsx`) rather than through the tsx CLI, which would put a second process in between: a
 * SIGKILL then reaches the worker itself instead of orphaning it.
 */
export function startWorker(queuePrefix: string, overrides: Record<string, string> = {}): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "test",
      STINT_PROCESS: "worker",
      QUEUE_PREFIX: queuePrefix,
      WORKER_HEALTH_PORT: "0",
      JOB_LOCK_SECONDS: "2",
      SWEEP_EVERY_SECONDS: "1",
      LOG_LEVEL: "warn",
      ...overrides,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  child.stdout!.on("data", (d: Buffer) => chunks.push(d.toString("utf8")));
  child.stderr!.on("data", (d: Buffer) => chunks.push(d.toString("utf8")));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)));
  const end = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { pid: child.pid!, output: () => chunks.join(""), exited, crash: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}
