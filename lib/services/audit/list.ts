import { and, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditChainChecks, auditEvents } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

/**
 * A time to filter by: an ISO-8601 date or date-time with its offset, in years 1–9999. Free coercion took
 * "99999-01-01" or "1" as dates and handed Postgres times it cannot read (a 500); these it can.
 */
const inYears = [(d: Date) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, "must be between the years 1 and 9999"] as const;
export const auditFilterTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z" })
  .transform((text) => new Date(text))
  .refine(...inYears);
const filterTime = z.union([auditFilterTime, z.date().refine(...inYears)]);

export const auditFilterInput = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(200).optional(),
  result: z.enum(["success", "failure"]).optional(),
  from: filterTime.optional(),
  to: filterTime.optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});
export type AuditFilterInput = z.input<typeof auditFilterInput>;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first, filtered; `beforeSeq` pages backwards through the chain. */
export async function listAuditEvents(ctx: ServiceContext, input: AuditFilterInput) {
  requirePermission(ctx, "audit:read");
  const f = auditFilterInput.parse(input);
  const where: (SQL | undefined)[] = [eq(auditEvents.mspId, ctx.mspId)];
  if (f.action) where.push(ilike(auditEvents.action, `${likeEscape(f.action)}%`));
  if (f.actor) {
    const pattern = `%${likeEscape(f.actor)}%`;
    where.push(or(ilike(auditEvents.actorLabel, pattern), eq(auditEvents.actorId, f.actor)));
  }
  if (f.result) where.push(eq(auditEvents.result, f.result));
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
