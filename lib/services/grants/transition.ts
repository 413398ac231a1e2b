import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import { canTransition } from "@/lib/grants/states";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditInput } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";

/**
 * Moves a grant along the state machine in the caller's transaction, only from the state the caller
 * saw (compare-and-set), and writes the audit event in the same transaction (its action is grant.<state>
 * unless the caller names it).
 */
export async function transitionGrant(
  tx: Tx,
  ctx: ServiceContext,
  grant: Grant,
  to: GrantState,
  patch: Partial<typeof grants.$inferInsert> = {},
  audit: Omit<AuditInput, "action" | "target"> & { action?: string } = {},
): Promise<Grant> {
  if (!canTransition(grant.state, to)) throw new AppError("conflict", `A grant that is ${grant.state} cannot become ${to}.`);
  const [row] = await tx
    .update(grants)
    .set({ ...patch, state: to, updatedAt: new Date() })
    .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId), eq(grants.state, grant.state)))
    .returning();
  if (!row) throw new AppError("conflict", "The grant changed meanwhile. Reload and try again.");
  await recordAudit(tx, ctx, { ...audit, action: audit.action ?? `grant.${to}`, target: { type: "grant", id: grant.id, label: grant.upn } });
  return row;
}
