import { verifyAndRecordAuditChain } from "@/lib/services/audit/verify-chain";
import { listMspIds } from "@/lib/services/msps/list-ids";
import type { JobPayload, JobRun } from "@/jobs/definitions";

/** Verifies the whole audit chain of one MSP, or of every MSP, against its checkpoints. */
export async function handleAuditVerify(payload: JobPayload<"audit.verify">, run: JobRun) {
  const mspIds = payload.mspId ? [payload.mspId] : await listMspIds();
  let broken = 0;
  for (const mspId of mspIds) {
    const check = await verifyAndRecordAuditChain(run.contextIn(mspId));
    if (!check.ok) broken += 1;
  }
  return { checked: mspIds.length, broken };
}
