import { and, asc, eq, gt } from "drizzle-orm";
import { auditChainChecks, auditEvents, type AuditChainCheck } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { GENESIS_HASH, chainHash } from "./canonical";

export type ChainVerdict = { ok: boolean; eventsChecked: number; firstBrokenSeq: number | null; detail: string | null };

const BATCH = 1000;

/** Walks one MSP's audit chain in seq order and reports the first broken link. */
export async function verifyAuditChain(mspId: string): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await withMspTx(mspId, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.mspId, mspId), gt(auditEvents.seq, expectedSeq - 1)))
        .orderBy(asc(auditEvents.seq))
        .limit(BATCH),
    );
    for (const row of rows) {
      const broken = (detail: string): ChainVerdict => ({ ok: false, eventsChecked: checked, firstBrokenSeq: expectedSeq, detail });
      if (row.seq !== expectedSeq) return broken(`event ${expectedSeq} is missing (next is ${row.seq})`);
      if (row.prevHash !== prevHash) return broken(`event ${row.seq} does not link to the event before it`);
      const { id: _id, hash, prevHash: _prev, ...fields } = row;
      if (chainHash(prevHash, fields) !== hash) return broken(`event ${row.seq} was altered after it was written`);
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) return { ok: true, eventsChecked: checked, firstBrokenSeq: null, detail: null };
  }
}

/** Verifies and stores the verdict, which the console shows beside the audit log. */
export async function verifyAndRecordAuditChain(mspId: string): Promise<AuditChainCheck> {
  const verdict = await verifyAuditChain(mspId);
  return withMspTx(mspId, async (tx) => {
    const [row] = await tx
      .insert(auditChainChecks)
      .values({ id: newId("auditCheck"), mspId, ...verdict })
      .returning();
    return row!;
  });
}
