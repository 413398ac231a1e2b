import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { eq, lt, sql } from "drizzle-orm";
import { workerProcesses } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { logger } from "@/lib/logger";

/** How often a worker process says it is alive. */
const HEARTBEAT_MS = 1_000;
/** A process not seen for this long is dead (five missed beats): its runs' leases are abandoned. */
export const SILENT_AFTER_MS = 5_000;
/** Rows of processes long gone are kept this long for an operator's eye, then dropped at the next start. */
const FORGET_AFTER = "1 hour";

let beating: string | null = null;

/** This process's id while it beats; null where no worker runs (the web app, tests, scripts). */
export const beatingProcess = (): string | null => beating;

/**
 * Registers this worker process in Postgres and keeps its `seen_at` fresh, so that a lease held by one of its
 * runs is known abandoned seconds after the process dies instead of when the lease lapses. Returns the stop,
 * to be called once the process's jobs are done: a process that is still working must keep beating.
 */
export async function startHeartbeat(): Promise<() => Promise<void>> {
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  // Worker processes are the installation's, not an MSP's.
  const beat = () =>
    systemTxBypassingRls((tx) => tx.insert(workerProcesses).values({ id }).onConflictDoUpdate({ target: workerProcesses.id, set: { seenAt: sql`now()` } }));
  await beat();
  await systemTxBypassingRls((tx) => tx.delete(workerProcesses).where(lt(workerProcesses.seenAt, sql`now() - interval '${sql.raw(FORGET_AFTER)}'`)));
  beating = id;
  const timer = setInterval(() => void beat().catch((err: unknown) => logger.warn({ err }, "worker heartbeat failed")), HEARTBEAT_MS);
  return async () => {
    clearInterval(timer);
    beating = null;
    await systemTxBypassingRls((tx) => tx.delete(workerProcesses).where(eq(workerProcesses.id, id)));
  };
}
