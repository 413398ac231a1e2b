import type { JobPayload, JobRun } from "@/jobs/definitions";
import { checkConnections } from "@/lib/services/connections/check-health";
import { listMspIds } from "@/lib/services/msps/list-ids";

/** Checks the Entra connections of one customer, one MSP, or every MSP, one MSP at a time. */
export async function handleConnectionCheck(payload: JobPayload<"connection.check">, run: JobRun) {
  let checked = 0;
  let unhealthy = 0;
  for (const mspId of payload.mspId ? [payload.mspId] : await listMspIds()) {
    const result = await checkConnections(run.contextIn(mspId), payload.mspId ? payload.customerId : undefined);
    checked += result.checked;
    unhealthy += result.unhealthy;
  }
  return { checked, unhealthy };
}
