import { recordChainVerdict } from "@/lib/services/audit/record-chain-verdict";
import { sealAuditCheckpoint } from "@/lib/services/audit/seal-checkpoint";
import { listMspIds } from "@/lib/services/msps/list-ids";
import type { JobPayload, JobRun } from "@/jobs/definitions";

/** Seals the audit chain head of one MSP, or of every MSP; a break found on the way is recorded like the verifier's. */
export async function handleAuditCheckpoint(payload: JobPayload<"audit.checkpoint">, run: JobRun) {
  const mspIds = payload.mspId ? [payload.mspId] : await listMspIds();
  let sealed = 0;
  let broken = 0;
  for (const mspId of mspIds) {
    const ctx = run.contextIn(mspId);
    const outcome = await sealAuditCheckpoint(ctx);
    if (outcome.ok) sealed += outcome.checkpoint ? 1 : 0;
    else {
      broken += 1;
      await recordChainVerdict(ctx, outcome.verdict);
    }
  }
  return { checked: mspIds.length, sealed, broken };
}
