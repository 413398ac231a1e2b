import { enqueue } from "@/lib/queue/producer";

/**
 * The job for one attempt of a delivery. Postgres holds the truth (the delivery's state, attempts and due
 * time); the job only wakes a worker. Its id names the attempt, so re-queueing the same attempt adds nothing;
 * the sweeper's re-queues carry the minute, so a job lost or failed in Redis is replaced a minute later.
 */
export async function scheduleDelivery(
  mspId: string,
  deliveryId: string,
  options: { attempt: number; delayMs?: number; sweep?: boolean } = { attempt: 0 },
): Promise<void> {
  const base = `deliver-${deliveryId}-${options.attempt}`;
  const jobId = options.sweep ? `${base}-sweep-${Math.floor(Date.now() / 60_000)}` : base;
  await enqueue("notification.deliver", { mspId, deliveryId }, { jobId, delay: Math.max(0, options.delayMs ?? 0) });
}
