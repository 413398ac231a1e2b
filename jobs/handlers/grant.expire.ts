import type { JobPayload, JobRun } from "@/jobs/definitions";
import { expireGrant } from "@/lib/services/grants/expire";

export function handleGrantExpire(payload: JobPayload<"grant.expire">, run: JobRun) {
  return expireGrant(run.contextIn(payload.mspId), payload.grantId, run);
}
