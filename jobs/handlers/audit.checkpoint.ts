import { recordChainVerdict } from "@/lib/services/audit/record-chain-verdict";
import { sealAuditCheckpoint } from "@/lib/services/audit/seal-checkpoint";
import { listMspIds } from "@/lib/services/msps/list-ids";
import type { JobPayload } from "@/jobs/definitions";

/** Seals the audit chain head of one MSP, or of every MSP; a break found on the way is recorded like the verifier's. */
export async function handleAuditCheckpoint(payload: JobPayload<"audit.checkpoint">) {
  const mspIds = payload.mspId ? [payload.mspId] : await listMspIds();
  let sealed = 0;
  let broken = 0;
  for (const mspId of mspIds) {
    const outcome = await sealAuditCheckpoint(mspId);
    if (outcome.ok) sealed += outcome.checkpoint ? 1 : 0;
    else {
      broken += 1;
      await recordChainVerdict(mspId, outcome.verdict, "audit.checkpoint");
    }
  }
  return { checked: mspIds.length, sealed, broken };
}
