import { desc, eq, sql } from "drizzle-orm";
import { auditCheckpoints, type AuditCheckpoint } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/logger";
import type { SystemContext } from "@/lib/services/context";
import { FIRST_PREV_MAC, checkpointMac } from "./checkpoint-mac";
import { CHAIN_START, walkAuditChain, type ChainVerdict } from "./verify-chain";

export type SealOutcome =
  | { ok: true; checkpoint: AuditCheckpoint | null }
  | { ok: false; verdict: ChainVerdict };

async function newestCheckpoint(mspId: string): Promise<AuditCheckpoint | null> {
  const [row] = await withMspTx(mspId, (tx) =>
    tx.select().from(auditCheckpoints).where(eq(auditCheckpoints.mspId, mspId)).orderBy(desc(auditCheckpoints.n)).limit(1),
  );
  return row ?? null;
}

/**
 * Seals the MSP's current chain head as its next checkpoint, after checking every event since the last
 * checkpoint links back to it (so a seal never vouches for a chain already broken). Nothing is sealed when
 * no event was added since. Each seal is also logged, a copy outside the database.
 */
export async function sealAuditCheckpoint(ctx: SystemContext, now: Date = new Date()): Promise<SealOutcome> {
  const mspId = ctx.mspId;
  const last = await newestCheckpoint(mspId);
  const walk = await walkAuditChain(mspId, last ? { seq: last.seq, hash: last.hash } : CHAIN_START);
  if (walk.broken) {
    return {
      ok: false,
      verdict: { ok: false, eventsChecked: walk.eventsChecked, checkpointsChecked: 0, firstBrokenSeq: walk.broken.seq, detail: walk.broken.detail },
    };
  }
  if (walk.head.seq === (last?.seq ?? 0)) return { ok: true, checkpoint: null };

  const checkpoint = await withMspTx(mspId, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit-checkpoint:${mspId}`}, 0))`);
    const [current] = await tx
      .select({ n: auditCheckpoints.n })
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.mspId, mspId))
      .orderBy(desc(auditCheckpoints.n))
      .limit(1);
    // Another sealer got here first; its checkpoint stands and this one is not needed.
    if ((current?.n ?? 0) !== (last?.n ?? 0)) return null;
    const fields = { mspId, n: (last?.n ?? 0) + 1, seq: walk.head.seq, hash: walk.head.hash, sealedAt: now, prevMac: last?.mac ?? FIRST_PREV_MAC };
    const [row] = await tx
      .insert(auditCheckpoints)
      .values({ id: newId("auditCheckpoint"), ...fields, mac: checkpointMac(fields) })
      .returning();
    return row!;
  });
  if (checkpoint) {
    logger.info({ mspId, n: checkpoint.n, seq: checkpoint.seq, hash: checkpoint.hash, mac: checkpoint.mac }, "audit checkpoint sealed");
  }
  return { ok: true, checkpoint };
}
