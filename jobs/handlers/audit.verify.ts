import { withMspTx } from "@/db/tx";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit/record";
import { verifyAndRecordAuditChain } from "@/lib/services/audit/verify-chain";
import { systemContext } from "@/lib/services/context";
import { listMspIds } from "@/lib/services/msps/list-ids";
import type { JobPayload } from "@/jobs/definitions";

/** Verifies the audit chain of one MSP, or of every MSP; a broken chain is logged and raised as an event. */
export async function handleAuditVerify(payload: JobPayload<"audit.verify">) {
  const mspIds = payload.mspId ? [payload.mspId] : await listMspIds();
  let broken = 0;
  for (const mspId of mspIds) {
    const check = await verifyAndRecordAuditChain(mspId);
    if (check.ok) continue;
    broken += 1;
    logger.error({ mspId, firstBrokenSeq: check.firstBrokenSeq, detail: check.detail }, "audit chain broken");
    await withMspTx(mspId, (tx) =>
      recordAudit(tx, systemContext(mspId, "audit.verify"), {
        action: "audit.chain_broken",
        result: "failure",
        reason: check.detail,
        metadata: { firstBrokenSeq: check.firstBrokenSeq },
      }),
    );
  }
  return { checked: mspIds.length, broken };
}
