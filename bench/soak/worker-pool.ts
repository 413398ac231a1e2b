import { startWorker, type WorkerProcess } from "@/test/worker-process";
import { sleep } from "../stats";
import { JOB_LOCK_SECONDS, SWEEP_EVERY_SECONDS, WORKER_PROCESSES } from "./settings";

/**
 * The real worker processes (jobs/worker.ts, started as test/worker-process.ts does) on the run's queue
 * prefix, with the soak's job lock and sweep period; they can be killed and replaced mid-run. Their logs
 * are kept to tell why jobs failed.
 */
export class WorkerPool {
  /** Oldest first. */
  private readonly running: WorkerProcess[] = [];
  private readonly all: WorkerProcess[] = [];
  kills = 0;

  constructor(private readonly queuePrefix: string) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: WORKER_PROCESSES }, () => this.spawn()));
  }

  /** SIGKILLs the oldest worker and starts its replacement at once; resolves when the replacement is up. */
  async killOldestAndReplace(): Promise<void> {
    const victim = this.running.shift();
    if (!victim) return;
    await victim.crash();
    this.kills += 1;
    await this.spawn();
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.running.splice(0).map(async (w) => {
        const stopped = await Promise.race([w.stop(), sleep(20_000).then(() => null)]);
        if (stopped === null) await w.crash();
      }),
    );
  }

  async crashAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((w) => w.crash()));
  }

  /**
   * Every failed job attempt the workers logged: job name and Graph's or BullMQ's message; attempts that
   * wait for a later retry are marked so.
   */
  jobFailures(): { job: string; message: string }[] {
    const out: { job: string; message: string }[] = [];
    for (const w of this.all) {
      for (const line of w.output().split("\n")) {
        const retried = line.includes('"job attempt failed; retrying"');
        if (!retried && !line.includes('"job failed"')) continue;
        try {
          const entry = JSON.parse(line) as { job?: string; err?: { message?: string } };
          out.push({ job: entry.job ?? "?", message: `${retried ? "(retried) " : ""}${entry.err?.message ?? "?"}` });
        } catch {
          // A line cut by SIGKILL.
        }
      }
    }
    return out;
  }

  private async spawn(): Promise<void> {
    const worker = startWorker(this.queuePrefix, {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      JOB_LOCK_SECONDS: String(JOB_LOCK_SECONDS),
      SWEEP_EVERY_SECONDS: String(SWEEP_EVERY_SECONDS),
    });
    this.running.push(worker);
    this.all.push(worker);
    let exited = false;
    void worker.exited.then(() => (exited = true));
    const deadline = Date.now() + 60_000;
    while (!worker.output().includes('"worker started"')) {
      if (exited || Date.now() > deadline) throw new Error(`worker ${worker.pid} did not start:\n${worker.output().slice(-2000)}`);
      await sleep(100);
    }
  }
}
