import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { containsPattern, escapeLike } from "@/db/contains";
import { auditChainChecks, auditEvents } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { auditFilterTime, inYears } from "@/lib/validation/audit-time";

const filterTime = z.union([auditFilterTime, z.date().refine(...inYears)]);

export const auditFilterInput = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  result: z.enum(["success", "failure"]).optional(),
  /** Text in the reason, the target or the metadata (what a hook said, a ticket). */
  text: z.string().trim().max(200).optional(),
  from: filterTime.optional(),
  to: filterTime.optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
export type AuditFilterInput = z.input<typeof auditFilterInput>;

/** Newest first, filtered; `beforeSeq` pages backwards through the chain. */
export async function listAuditEvents(ctx: ServiceContext, input: AuditFilterInput) {
  requirePermission(ctx, "audit:read");
  const f = auditFilterInput.parse(input);
  const where: (SQL | undefined)[] = [eq(auditEvents.mspId, ctx.mspId)];
  if (f.action) where.push(ilike(auditEvents.action, `${escapeLike(f.action)}%`));
  if (f.actor) {
    const pattern = containsPattern(f.actor);
    where.push(or(ilike(auditEvents.actorLabel, pattern), eq(auditEvents.actorId, f.actor)));
  }
  if (f.result) where.push(eq(auditEvents.result, f.result));
  if (f.text) {
    const pattern = containsPattern(f.text);
    where.push(or(ilike(auditEvents.reason, pattern), ilike(auditEvents.targetLabel, pattern), ilike(sql`${auditEvents.metadata}::text`, pattern)));
  }
  if (f.from) where.push(gte(auditEvents.occurredAt, f.from));
  if (f.to) where.push(lt(auditEvents.occurredAt, f.to));
  if (f.beforeSeq) where.push(lt(auditEvents.seq, f.beforeSeq));
  return withMspTx(ctx.mspId, (tx) =>
    tx.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.seq)).limit(f.limit),
  );
}

export async function getLatestChainCheck(ctx: ServiceContext) {
  requirePermission(ctx, "audit:read");
  return withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .select()
      .from(auditChainChecks)
      .where(eq(auditChainChecks.mspId, ctx.mspId))
      .orderBy(desc(auditChainChecks.checkedAt))
      .limit(1);
    return row ?? null;
  });
}
