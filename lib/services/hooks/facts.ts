import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, customers, grantSteps, members, type Grant } from "@/db/schema";
import { appOrigin } from "@/lib/env";
import type { HookGrantFacts, HookSessionFacts } from "@/lib/hooks/protocol";
import { expiryActions } from "@/lib/vocabulary/expiry-actions";

async function levelNames(tx: Tx, mspId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await tx.select({ name: accessLevels.name }).from(accessLevels).where(and(eq(accessLevels.mspId, mspId), inArray(accessLevels.id, ids)));
  return rows.map((r) => r.name).sort();
}

/** A request not yet written: what its hooks are asked about at authenticate. */
export async function requestFacts(
  tx: Tx,
  mspId: string,
  r: {
    customer: { id: string; name: string };
    tenantId: string;
    technician: { id: string; email: string; displayName: string };
    accessLevelIds: string[];
    roleTemplateIds: string[];
    durationMinutes: number;
    justification: string;
    ticketRef: string | null;
    startAt: Date;
  },
): Promise<HookGrantFacts> {
  return {
    grant_id: null,
    msp_id: mspId,
    customer: { id: r.customer.id, name: r.customer.name, tenant_id: r.tenantId },
    technician: { id: r.technician.id, email: r.technician.email, name: r.technician.displayName },
    access_levels: await levelNames(tx, mspId, r.accessLevelIds),
    roles: r.roleTemplateIds,
    duration_minutes: r.durationMinutes,
    justification: r.justification,
    ticket: r.ticketRef,
    start_at: r.startAt.toISOString(),
    upn: null,
    link: null,
  };
}

/** A written grant, for authorize and session_ended. */
export async function grantFacts(tx: Tx, grant: Grant): Promise<HookGrantFacts> {
  const [row] = await tx
    .select({ customerName: customers.name, email: members.email, name: members.displayName })
    .from(customers)
    .innerJoin(members, and(eq(members.id, grant.memberId), eq(members.mspId, grant.mspId)))
    .where(and(eq(customers.id, grant.customerId), eq(customers.mspId, grant.mspId)));
  return {
    grant_id: grant.id,
    msp_id: grant.mspId,
    customer: { id: grant.customerId, name: row?.customerName ?? grant.customerId, tenant_id: grant.entraTenantId },
    technician: { id: grant.memberId, email: row?.email ?? "", name: row?.name ?? "" },
    access_levels: await levelNames(tx, grant.mspId, grant.accessLevelIds),
    roles: grant.roleTemplateIds,
    duration_minutes: grant.durationMinutes,
    justification: grant.justification,
    ticket: grant.ticketRef,
    start_at: grant.startAt.toISOString(),
    upn: grant.upn,
    link: `${appOrigin}/grants/${grant.id}`,
  };
}

/** How the grant ended: its real exposure and the expiry steps that proved the removal. */
export async function sessionFacts(tx: Tx, grant: Grant): Promise<HookSessionFacts> {
  const steps = await tx
    .select({ step: grantSteps.step, status: grantSteps.status, detail: grantSteps.detail, at: grantSteps.finishedAt })
    .from(grantSteps)
    .where(and(eq(grantSteps.grantId, grant.id), eq(grantSteps.mspId, grant.mspId), inArray(grantSteps.step, expiryActions.map((a) => `expiry:${a}`))))
    .orderBy(asc(grantSteps.startedAt));
  // A started minute counts, as PSAs bill time.
  const exposure = grant.usableFrom && grant.usableTo ? Math.max(1, Math.ceil((grant.usableTo.getTime() - grant.usableFrom.getTime()) / 60_000)) : null;
  return {
    final_state: grant.state,
    end_reason: grant.endReason,
    usable_from: grant.usableFrom?.toISOString() ?? null,
    usable_to: grant.usableTo?.toISOString() ?? null,
    exposure_minutes: exposure,
    proof: steps.map((s) => ({ step: s.step, status: s.status, detail: s.detail, at: s.at?.toISOString() ?? null })),
  };
}
