import { enqueue } from "@/lib/queue/producer";

/**
 * Queues a health check of one customer's connection now (at most one a minute): a job just met a token
 * refusal, and the console and new requests should know the connection is broken before the next scheduled check.
 */
export async function checkConnectionSoon(mspId: string, customerId: string): Promise<void> {
  await enqueue("connection.check", { mspId, customerId }, { jobId: `connection-check-${customerId}-${Math.floor(Date.now() / 60_000)}` });
}
