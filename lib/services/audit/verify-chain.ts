import { and, asc, eq, gt, gte } from "drizzle-orm";
import { auditCheckpoints, auditEvents, type AuditChainCheck } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import type { SystemContext } from "@/lib/services/context";
import { GENESIS_HASH, chainHash } from "./canonical";
import { FIRST_PREV_MAC, checkpointMacMatches } from "./checkpoint-mac";
import { recordChainVerdict } from "./record-chain-verdict";

export type ChainVerdict = {
  ok: boolean;
  eventsChecked: number;
  checkpointsChecked: number;
  firstBrokenSeq: number | null;
  detail: string | null;
};

/** A point the walk starts from: the event at `seq` must hash to `hash` (seq 0 is the chain's start). */
export type ChainAnchor = { seq: number; hash: string };
export const CHAIN_START: ChainAnchor = { seq: 0, hash: GENESIS_HASH };

type Broken = { seq: number; detail: string };
type Walk = { eventsChecked: number; head: ChainAnchor; broken: Broken | null };

const BATCH = 1000;

/**
 * Walks one MSP's events after `from` in seq order, checking each links to the one before and hashes to
 * what it holds, and that the events checkpoints sealed still hash as sealed. Stops at the first broken link.
 */
export async function walkAuditChain(mspId: string, from: ChainAnchor, sealed: ReadonlyMap<number, string> = new Map()): Promise<Walk> {
  let prevHash = from.hash;
  let expectedSeq = from.seq + 1;
  let checked = 0;
  if (from.seq > 0) {
    const [anchor] = await withMspTx(mspId, (tx) =>
      tx.select({ hash: auditEvents.hash }).from(auditEvents).where(and(eq(auditEvents.mspId, mspId), eq(auditEvents.seq, from.seq))),
    );
    if (anchor?.hash !== from.hash) {
      const detail = anchor ? `event ${from.seq} is not the event a checkpoint sealed` : `event ${from.seq}, which a checkpoint sealed, is missing`;
      return { eventsChecked: 0, head: CHAIN_START, broken: { seq: from.seq, detail } };
    }
  }
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
      const broken = (detail: string): Walk => ({ eventsChecked: checked, head: { seq: expectedSeq - 1, hash: prevHash }, broken: { seq: expectedSeq, detail } });
      if (row.seq !== expectedSeq) return broken(`event ${expectedSeq} is missing (next is ${row.seq})`);
      if (row.prevHash !== prevHash) return broken(`event ${row.seq} does not link to the event before it`);
      const { id: _id, hash, prevHash: _prev, ...fields } = row;
      if (chainHash(prevHash, fields) !== hash) return broken(`event ${row.seq} was altered after it was written`);
      const sealedHash = sealed.get(row.seq);
      if (sealedHash !== undefined && sealedHash !== hash) return broken(`event ${row.seq} is not the event a checkpoint sealed: the chain was rewritten at or before it`);
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) return { eventsChecked: checked, head: { seq: expectedSeq - 1, hash: prevHash }, broken: null };
  }
}

type Checkpoints = { count: number; sealed: Map<number, string>; newest: { n: number; seq: number; sealedAt: Date } | null; broken: Broken | null };

/** Reads every checkpoint of the MSP in order and checks each seal and that none is missing. */
async function readCheckpoints(mspId: string): Promise<Checkpoints> {
  const sealed = new Map<number, string>();
  let prevMac = FIRST_PREV_MAC;
  let prevSeq = 0;
  let count = 0;
  let newest: Checkpoints["newest"] = null;
  for (;;) {
    const rows = await withMspTx(mspId, (tx) =>
      tx
        .select()
        .from(auditCheckpoints)
        .where(and(eq(auditCheckpoints.mspId, mspId), gte(auditCheckpoints.n, count + 1)))
        .orderBy(asc(auditCheckpoints.n))
        .limit(BATCH),
    );
    for (const row of rows) {
      const broken = (detail: string): Checkpoints => ({ count, sealed, newest, broken: { seq: row.seq, detail } });
      if (row.n !== count + 1) return broken(`checkpoint ${count + 1} is missing (next is ${row.n})`);
      if (!checkpointMacMatches({ ...row, mspId }, row.mac)) {
        return broken(`checkpoint ${row.n} does not carry a valid seal: it was forged or altered, or TOKEN_DIGEST_KEY / ENCRYPTION_KEYS changed`);
      }
      if (row.prevMac !== prevMac) return broken(`checkpoint ${row.n} does not follow checkpoint ${count}`);
      if (row.seq < prevSeq) return broken(`checkpoint ${row.n} seals an earlier event than the checkpoint before it`);
      sealed.set(row.seq, row.hash);
      prevMac = row.mac;
      prevSeq = row.seq;
      count += 1;
      newest = { n: row.n, seq: row.seq, sealedAt: row.sealedAt };
    }
    if (rows.length < BATCH) return { count, sealed, newest, broken: null };
  }
}

/**
 * Verifies one MSP's whole audit chain against its checkpoints: every link, every sealed head still in the
 * chain (a rewrite from any point misses them), and the chain still reaching the newest sealed head (a
 * deleted tail falls short of it).
 */
export async function verifyAuditChain(mspId: string): Promise<ChainVerdict> {
  const checkpoints = await readCheckpoints(mspId);
  const verdict = (eventsChecked: number, broken: Broken | null): ChainVerdict => ({
    ok: broken === null,
    eventsChecked,
    checkpointsChecked: checkpoints.count,
    firstBrokenSeq: broken?.seq ?? null,
    detail: broken?.detail ?? null,
  });
  if (checkpoints.broken) return verdict(0, checkpoints.broken);
  const walk = await walkAuditChain(mspId, CHAIN_START, checkpoints.sealed);
  if (walk.broken) return verdict(walk.eventsChecked, walk.broken);
  const newest = checkpoints.newest;
  if (newest && walk.head.seq < newest.seq) {
    const detail = `the chain ends at event ${walk.head.seq}, but checkpoint ${newest.n} sealed it at event ${newest.seq} on ${newest.sealedAt.toISOString()}: events were deleted from its end`;
    return verdict(walk.eventsChecked, { seq: walk.head.seq + 1, detail });
  }
  return verdict(walk.eventsChecked, null);
}

/** Verifies and stores the verdict (a broken chain raises an alarm once). */
export async function verifyAndRecordAuditChain(ctx: SystemContext): Promise<AuditChainCheck> {
  return recordChainVerdict(ctx, await verifyAuditChain(ctx.mspId));
}
