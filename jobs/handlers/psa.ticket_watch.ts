import type { JobPayload, JobRun } from "@/jobs/definitions";
import { endGrantsOfClosedTickets } from "@/lib/services/hooks/end-closed-tickets";
import { listMspIds } from "@/lib/services/msps/list-ids";

/** Ends the grants whose PSA ticket was closed, one MSP at a time. */
export async function handlePsaTicketWatch(payload: JobPayload<"psa.ticket_watch">, run: JobRun) {
  let checked = 0;
  let ended = 0;
  for (const mspId of payload.mspId ? [payload.mspId] : await listMspIds()) {
    const result = await endGrantsOfClosedTickets(run.contextIn(mspId));
    checked += result.checked;
    ended += result.ended;
  }
  return { checked, ended };
}
