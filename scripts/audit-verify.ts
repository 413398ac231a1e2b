import { closeDb } from "@/db/client";
import { verifyAuditChain } from "@/lib/services/audit/verify-chain";
import { listMspIds } from "@/lib/services/msps/list-ids";

/**
 * `npm run audit:verify [mspId]`: verifies the hash chain(s) against their sealed checkpoints and exits
 * non-zero at the first broken link. Needs the same TOKEN_DIGEST_KEY / ENCRYPTION_KEYS as the worker.
 */
const only = process.argv[2];
let failed = false;
for (const mspId of only ? [only] : await listMspIds()) {
  const verdict = await verifyAuditChain(mspId);
  if (verdict.ok) console.log(`${mspId}: ok, ${verdict.eventsChecked} events, ${verdict.checkpointsChecked} checkpoints`);
  else {
    failed = true;
    console.log(`${mspId}: BROKEN at event ${verdict.firstBrokenSeq}: ${verdict.detail}`);
  }
}
await closeDb();
process.exit(failed ? 1 : 0);
