import type { JobPayload, JobRun } from "@/jobs/definitions";
import { reconcileOrphans } from "@/lib/services/grants/reconcile-orphans";
import { listMspIds } from "@/lib/services/msps/list-ids";

/** Scans the connected tenants of one MSP, or of every MSP, one at a time. */
export async function handleReconcileOrphans(payload: JobPayload<"grant.reconcile_orphans">, run: JobRun) {
  const totals = { scanned: 0, disabled: 0, errors: 0 };
  for (const mspId of payload.mspId ? [payload.mspId] : await listMspIds()) {
    const result = await reconcileOrphans(run.contextIn(mspId));
    totals.scanned += result.scanned;
    totals.disabled += result.disabled;
    totals.errors += result.errors;
  }
  return totals;
}
