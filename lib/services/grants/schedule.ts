import type { Grant } from "@/db/schema";
import { enqueue } from "@/lib/queue/producer";
import { needsTapRenewal, tapRenewalDueAt } from "./tap-renewal";

/**
 * Timers in Redis are an optimisation: if one is lost, the sweeper (sweep.ts) finds the due grant in
 * Postgres. Job ids make re-enqueueing harmless: BullMQ keeps one job per id.
 */
export async function scheduleProvisioning(grant: Pick<Grant, "id" | "mspId" | "startAt">, options: { retry?: boolean } = {}): Promise<void> {
  // A retry of a stuck provisioning needs a fresh id: the failed job keeps the first one.
  const jobId = options.retry ? `provision-${grant.id}-retry-${Math.floor(Date.now() / 60_000)}` : `provision-${grant.id}`;
  await enqueue(
    "provisioning",
    "grant.provision",
    { mspId: grant.mspId, grantId: grant.id },
    { jobId, delay: Math.max(0, grant.startAt.getTime() - Date.now()), attempts: 6, backoff: { type: "exponential", delay: 2_000 } },
  );
}

/** The delayed job that ends the grant at `endsAt` (a new one after every extension; stale ones do nothing). */
export async function scheduleExpiry(grant: Pick<Grant, "id" | "mspId" | "endsAt">, options: { now?: boolean; dedupe?: boolean } = {}): Promise<void> {
  const at = options.now || !grant.endsAt ? Date.now() : grant.endsAt.getTime();
  // Sweeps repeat every few seconds: their re-queues share one id per grant and minute, so a sweep that
  // repeats while a job waits adds nothing, and a later minute (e.g. tomorrow's irrevocable retry) can.
  const jobId = options.dedupe ? `expire-${grant.id}-sweep-${Math.floor(at / 60_000)}` : options.now ? `expire-${grant.id}-now-${at}` : `expire-${grant.id}-${at}`;
  await enqueue(
    "expiry",
    "grant.expire",
    { mspId: grant.mspId, grantId: grant.id },
    {
      jobId,
      delay: Math.max(0, at - Date.now()),
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      priority: options.now ? 1 : 2,
    },
  );
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
  await enqueue("provisioning", "grant.renew_tap", { mspId: grant.mspId, grantId: grant.id }, { jobId, delay: Math.max(0, at - Date.now()), attempts: 6, backoff: { type: "exponential", delay: 2_000 } });
}
