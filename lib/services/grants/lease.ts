import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, workerProcesses, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { beatingProcess, SILENT_AFTER_MS } from "@/lib/services/workers/heartbeat";

/**
 * A run's claim on a grant's work (provisioning or expiry), kept in Postgres: the sweeper sees a lease lapse
 * when its worker died or its job was lost, and queues the work again. Times are the database's, so workers'
 * clocks need not agree. One lease lasts JOB_LOCK_SECONDS and is renewed every third of that while the run works;
 * it also names the worker process of its run, and is abandoned as soon as that process stops beating.
 */
export const leaseMs = () => env.JOB_LOCK_SECONDS * 1000;

/** The holder of calls outside a queue (tests, scripts): they share one, and behave as one job retrying. */
export const directRun = () => "direct";

/**
 * The holder of a lease kept over a wait for the job's own retry: the retry (same job id) takes it back, and
 * the sweeper can ask the queue whether that job still exists.
 */
export const waitingFor = (jobId: string) => `waiting:${jobId}`;
export const waitedForJob = (holder: string | null) => (holder?.startsWith("waiting:") ? holder.slice("waiting:".length) : null);

type GrantKey = Pick<Grant, "id" | "mspId">;

/** The lease's run is in a worker process that has stopped beating (it died): nobody works on the grant. */
export const leaseProcessSilent = sql<boolean>`(${grants.leaseProcess} is not null and not exists (select 1 from ${workerProcesses} where ${workerProcesses.id} = ${grants.leaseProcess} and ${workerProcesses.seenAt} > now() - ${SILENT_AFTER_MS} * interval '1 millisecond'))`;

/**
 * In the caller's transaction, with the grant's row locked: takes the lease for `holder` unless another run's
 * is still live. The same holder takes it again (its own retry, or its job resumed after a stall).
 */
export async function takeLease(tx: Tx, grant: GrantKey, holder: string): Promise<boolean> {
  const taken = await tx
    .update(grants)
    .set({ leaseHolder: holder, leaseUntil: sql`now() + ${leaseMs()} * interval '1 millisecond'`, leaseProcess: beatingProcess() })
    .where(
      and(
        eq(grants.id, grant.id),
        eq(grants.mspId, grant.mspId),
        sql`(${grants.leaseUntil} is null or ${grants.leaseUntil} < now() or ${leaseProcessSilent} or ${grants.leaseHolder} in (${holder}, ${waitingFor(holder)}))`,
      ),
    )
    .returning({ id: grants.id });
  return taken.length === 1;
}

/** Runs `work` while renewing `holder`'s lease, so a long Graph wait never looks like a dead worker. */
export async function underLease<T>(grant: GrantKey, holder: string, work: () => Promise<T>): Promise<T> {
  const renew = () =>
    withMspTx(grant.mspId, (tx) =>
      tx
        .update(grants)
        .set({ leaseUntil: sql`now() + ${leaseMs()} * interval '1 millisecond'` })
        .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId), eq(grants.leaseHolder, holder))),
    ).catch((err: unknown) => logger.warn({ err, grantId: grant.id }, "lease renewal failed"));
  const timer = setInterval(() => void renew(), leaseMs() / 3);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Lets go of `holder`'s lease: at once (`retryInMs` null: this run is done), or when its retry is due and has
 * had a lease's length to start (the sweeper steps in only if that retry never comes).
 */
export async function releaseLease(grant: GrantKey, holder: string, retryInMs: number | null): Promise<void> {
  await withMspTx(grant.mspId, (tx) =>
    tx
      .update(grants)
      .set(
        retryInMs === null
          ? noLease
          : // The retry may run in any process: this one's death must not abandon the wait.
            { leaseHolder: waitingFor(holder), leaseUntil: sql`now() + ${retryInMs + leaseMs()} * interval '1 millisecond'`, leaseProcess: null },
      )
      .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId), eq(grants.leaseHolder, holder))),
  );
}

/** Patch fields that drop any lease with a transition that ends a run's work. */
export const noLease = { leaseHolder: null, leaseUntil: null, leaseProcess: null } as const;

/** What a grant job knows of its run: its queue attempt (1 = first) and its holder id (the job's id). */
export type GrantRun = { finalAttempt: boolean; attempt?: number; runId?: string };
