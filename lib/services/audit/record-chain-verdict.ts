import { desc, eq } from "drizzle-orm";
import { auditChainChecks, type AuditChainCheck } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/logger";
import type { SystemContext } from "@/lib/services/context";
import { recordAudit } from "./record";
import type { ChainVerdict } from "./verify-chain";

/**
 * Stores a verdict, which the console shows beside the audit log. A broken chain is logged every time and
 * raised as an audit event when first found (the previous verdict was sound): a broken chain stays broken,
 * and repeating the alarm at every check would bury it.
 */
export async function recordChainVerdict(ctx: SystemContext, verdict: ChainVerdict): Promise<AuditChainCheck> {
  const mspId = ctx.mspId;
  if (!verdict.ok) logger.error({ mspId, firstBrokenSeq: verdict.firstBrokenSeq, detail: verdict.detail, checker: ctx.actor.job }, "audit chain broken");
  return withMspTx(mspId, async (tx) => {
    const [previous] = await tx
      .select({ ok: auditChainChecks.ok })
      .from(auditChainChecks)
      .where(eq(auditChainChecks.mspId, mspId))
      .orderBy(desc(auditChainChecks.checkedAt))
      .limit(1);
    const [row] = await tx
      .insert(auditChainChecks)
      .values({ id: newId("auditCheck"), mspId, ...verdict })
      .returning();
    if (!verdict.ok && previous?.ok !== false) {
      await recordAudit(tx, ctx, {
        action: "audit.chain_broken",
        result: "failure",
        reason: verdict.detail,
        metadata: { firstBrokenSeq: verdict.firstBrokenSeq },
      });
    }
    return row!;
  });
}
