import type { JobPayload, JobRun } from "@/jobs/definitions";
import { renewTap } from "@/lib/services/grants/renew-tap";

export function handleGrantRenewTap(payload: JobPayload<"grant.renew_tap">, run: JobRun) {
  return renewTap(run.contextIn(payload.mspId), payload.grantId, run);
}
