import type { JobPayload } from "@/jobs/definitions";
import { deliverNotification } from "@/lib/services/notifications/deliver";
import { scheduleDelivery } from "@/lib/services/notifications/schedule";

/** One attempt at a delivery; a failure that will be retried queues the next attempt, delayed by the schedule. */
export async function handleNotificationDeliver(payload: JobPayload<"notification.deliver">) {
  const result = await deliverNotification(payload.mspId, payload.deliveryId);
  if (result.outcome === "retry") await scheduleDelivery(payload.mspId, payload.deliveryId, { attempt: result.attempts, delayMs: result.retryInMs });
  return result;
}
