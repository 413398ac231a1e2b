import type { Grant } from "@/db/schema";
import { enqueue } from "@/lib/queue/producer";
import { needsTapRenewal, tapRenewalDueAt } from "./tap-renewal";

/**
 * A grant job retries until its budget says stop (lib/grants/retry-budget.ts): the handler throws RetryLater
 * with the delay, which the worker's custom backoff uses. The attempt count is only an outer bound.
 */
const untilBudgetSpent = { attempts: 10_000, backoff: { type: "budget" } };

/**
 * Timers in Redis are an optimisation: if one is lost, the sweeper (sweep.ts) finds the due grant in
 * Postgres. Job ids make re-enqueueing harmless: BullMQ keeps one job per id. `lapsedLease` names a re-queue
 * after a run's lease lapsed (its worker died, or Redis lost its job): one job per lapsed lease.
 */
export async function scheduleProvisioning(grant: Pick<Grant, "id" | "mspId" | "startAt">, options: { lapsedLease?: Date } = {}): Promise<void> {
  const jobId = options.lapsedLease ? `provision-${grant.id}-lease-${options.lapsedLease.getTime()}` : `provision-${grant.id}`;
  await enqueue("grant.provision", { mspId: grant.mspId, grantId: grant.id }, { jobId, delay: Math.max(0, grant.startAt.getTime() - Date.now()), ...untilBudgetSpent });
}

/** The delayed job that ends the grant at `endsAt` (a new one after every extension; stale ones do nothing). */
export async function scheduleExpiry(grant: Pick<Grant, "id" | "mspId" | "endsAt">, options: { now?: boolean; dedupe?: boolean; lapsedLease?: Date } = {}): Promise<void> {
  const at = options.now || options.lapsedLease || !grant.endsAt ? Date.now() : grant.endsAt.getTime();
  // Sweeps repeat every few seconds: their re-queues share one id per grant and minute (or per lapsed lease),
  // so a sweep that repeats while a job waits adds nothing, and a later one (the next irrevocable retry) can.
  const jobId = options.lapsedLease
    ? `expire-${grant.id}-lease-${options.lapsedLease.getTime()}`
    : options.dedupe
      ? `expire-${grant.id}-sweep-${Math.floor(at / 60_000)}`
      : options.now
        ? `expire-${grant.id}-now-${at}`
        : `expire-${grant.id}-${at}`;
  await enqueue("grant.expire", { mspId: grant.mspId, grantId: grant.id }, { jobId, delay: Math.max(0, at - Date.now()), priority: options.now || options.lapsedLease ? 1 : 2, ...untilBudgetSpent });
}

/**
 * The job that gives a grant a new Temporary Access Pass before its current one lapses, when the grant
 * outlasts it (an extension, or a tenant whose passes live shorter than the grant). One job per pass; the
 * sweeper's re-queues share one id per grant and minute.
 */
export async function scheduleTapRenewal(
  grant: Pick<Grant, "id" | "mspId" | "state" | "signInMethod" | "tapExpiresAt" | "endsAt" | "tapRenewalError" | "endReason">,
  options: { dedupe?: boolean } = {},
): Promise<void> {
  if (!needsTapRenewal(grant)) return;
  const at = tapRenewalDueAt(grant);
  const jobId = options.dedupe ? `renew-tap-${grant.id}-sweep-${Math.floor(at / 60_000)}` : `renew-tap-${grant.id}-${grant.tapExpiresAt!.getTime()}`;
  await enqueue("grant.renew_tap", { mspId: grant.mspId, grantId: grant.id }, { jobId, delay: Math.max(0, at - Date.now()), ...untilBudgetSpent });
}
