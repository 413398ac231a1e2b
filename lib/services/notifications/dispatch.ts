import { fanOutNotification } from "./fan-out";
import { scheduleDelivery } from "./schedule";

/** Fans an outbox event out and queues the first attempt of each of its deliveries. */
export async function dispatchNotification(mspId: string, outboxId: string): Promise<number> {
  const deliveries = await fanOutNotification(mspId, outboxId);
  await Promise.all(deliveries.map((id) => scheduleDelivery(mspId, id)));
  return deliveries.length;
}
