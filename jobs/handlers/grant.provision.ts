import type { JobPayload, JobRun } from "@/jobs/definitions";
import { provisionGrant } from "@/lib/services/grants/provision";

export function handleGrantProvision(payload: JobPayload<"grant.provision">, run: JobRun) {
  return provisionGrant(run.contextIn(payload.mspId), payload.grantId, run);
}
