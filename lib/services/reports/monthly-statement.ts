import { and, asc, desc, eq, inArray, like, sql } from "drizzle-orm";
import { auditEvents, entraConnections, grants, grantSteps, members, msps } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { liveStates } from "@/lib/grants/states";
import { roleNamer } from "@/lib/entra/role-names";
import { clipToMonth, monthAt, zonedMonth, type ZonedMonth } from "@/lib/reports/zoned-month";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";
import { grantAccessLevels } from "@/lib/services/grants/label";
import { expiryActionLabels, type ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { monthlyStatementInput } from "./schemas";

/** States whose removal Stint could not prove: the account may still act in the customer's tenant. */
const unprovenStates: readonly GrantState[] = ["irrevocable", "failed"];
const EXPIRY_PREFIX = "expiry:";

export type StatementGrant = {
  id: string;
  state: GrantState;
  technician: { name: string; email: string };
  upn: string;
  justification: string;
  ticketRef: string | null;
  accessLevels: string[];
  roles: string[];
  requestedAt: Date;
  /** Asked for plus extensions. */
  plannedMinutes: number;
  /** When the account could act and when its removal was verified (null: never usable, or not yet removed). */
  usableFrom: Date | null;
  usableTo: Date | null;
  /** The exposure inside the month: the span cut to its edges, and its minutes. */
  exposure: { from: Date; to: Date; minutes: number } | null;
  /** Still live when the statement was made: its exposure runs up to now. */
  ongoing: boolean;
  removalUnproven: boolean;
  endReason: string | null;
  failureReason: string | null;
  /** The expiry steps as the grant's timeline has them: what was done to remove the access, and when. */
  removal: { action: string; label: string; status: "running" | "succeeded" | "failed"; at: Date; detail: string | null }[];
};

export type MonthlyStatement = {
  mspName: string;
  customer: { id: string; name: string; timeZone: string };
  month: ZonedMonth;
  generatedAt: Date;
  grants: StatementGrant[];
  totals: { grants: number; technicians: number; exposureHours: number; removalUnproven: number };
  /** The MSP's audit chain after this statement's own audit event: ties the document to the tamper-evident log. */
  chainHead: { seq: number; hash: string };
};

/**
 * One customer's admin access in one calendar month of its time zone: every grant whose JIT account could act
 * in the month (or whose removal Stint could not prove), who had it and why, planned against actual exposure
 * cut to the month, and the steps that removed it. Exposure runs from usable_from to usable_to, or to now
 * while the grant is live, like the overview's. Reading it is audited.
 */
export async function readMonthlyStatement(ctx: ServiceContext, customerId: string, input: unknown = {}): Promise<MonthlyStatement> {
  requirePermission(ctx, "grants:read_all");
  const parsed = monthlyStatementInput.parse(input);
  const now = new Date();
  return withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    const month = zonedMonth(parsed.month ?? monthAt(now, customer.timeZone), customer.timeZone);
    const [{ mspName }] = (await tx.select({ mspName: msps.name }).from(msps).where(eq(msps.id, ctx.mspId))) as [{ mspName: string }];
    const [connection] = await tx
      .select({ roleDefinitions: entraConnections.roleDefinitions })
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    const roleName = roleNamer(connection?.roleDefinitions ?? []);

    const [fromAt, toAt, nowAt] = [month.from.toISOString(), month.to.toISOString(), now.toISOString()];
    const live = sql.join(liveStates.map((s) => sql`${s}`), sql`, `);
    const unproven = sql.join(unprovenStates.map((s) => sql`${s}`), sql`, `);
    const exposureEnd = sql`coalesce(${grants.usableTo}, case when ${grants.state} in (${live}) then ${nowAt}::timestamptz else ${grants.updatedAt} end)`;
    const rows = await tx
      .select({
        id: grants.id, state: grants.state, name: members.displayName, email: members.email, upn: grants.upn, justification: grants.justification,
        ticketRef: grants.ticketRef, accessLevels: grantAccessLevels, roleTemplateIds: grants.roleTemplateIds, createdAt: grants.createdAt,
        durationMinutes: grants.durationMinutes, extendedMinutes: grants.extendedMinutes, usableFrom: grants.usableFrom, usableTo: grants.usableTo,
        updatedAt: grants.updatedAt, endReason: grants.endReason, failureReason: grants.failureReason,
      })
      .from(grants)
      .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
      .where(
        and(
          eq(grants.mspId, ctx.mspId),
          eq(grants.customerId, customer.id),
          sql`(
            (${grants.usableFrom} is not null and ${grants.usableFrom} < ${toAt}::timestamptz and ${exposureEnd} > ${fromAt}::timestamptz)
            or (${grants.state} in (${unproven}) and ${grants.startAt} < ${toAt}::timestamptz and ${grants.updatedAt} >= ${fromAt}::timestamptz)
          )`,
        ),
      )
      .orderBy(asc(sql`coalesce(${grants.usableFrom}, ${grants.startAt})`), asc(grants.id));

    const steps = rows.length
      ? await tx
          .select({ grantId: grantSteps.grantId, step: grantSteps.step, status: grantSteps.status, startedAt: grantSteps.startedAt, finishedAt: grantSteps.finishedAt, detail: grantSteps.detail })
          .from(grantSteps)
          .where(and(eq(grantSteps.mspId, ctx.mspId), inArray(grantSteps.grantId, rows.map((r) => r.id)), like(grantSteps.step, `${EXPIRY_PREFIX}%`)))
          .orderBy(asc(grantSteps.startedAt))
      : [];

    const statementGrants = rows.map((r): StatementGrant => {
      const ongoing = liveStates.includes(r.state) && !r.usableTo;
      const end = r.usableTo ?? (ongoing ? now : r.updatedAt);
      const exposure = r.usableFrom ? clipToMonth({ start: r.usableFrom, end }, month) : null;
      return {
        id: r.id, state: r.state, technician: { name: r.name, email: r.email }, upn: r.upn, justification: r.justification, ticketRef: r.ticketRef,
        accessLevels: r.accessLevels.map((l) => l.name), roles: r.roleTemplateIds.map(roleName), requestedAt: r.createdAt,
        plannedMinutes: r.durationMinutes + r.extendedMinutes, usableFrom: r.usableFrom, usableTo: r.usableTo, exposure, ongoing,
        removalUnproven: unprovenStates.includes(r.state), endReason: r.endReason, failureReason: r.failureReason,
        removal: steps
          .filter((s) => s.grantId === r.id)
          .map((s) => {
            const action = s.step.slice(EXPIRY_PREFIX.length);
            return { action, label: expiryActionLabels[action as ExpiryAction] ?? action, status: s.status, at: s.finishedAt ?? s.startedAt, detail: s.detail };
          }),
      };
    });
    const totals = {
      grants: statementGrants.length,
      technicians: new Set(statementGrants.map((g) => g.technician.email)).size,
      exposureHours: Math.round((statementGrants.reduce((sum, g) => sum + (g.exposure ? g.exposure.to.getTime() - g.exposure.from.getTime() : 0), 0) / 3_600_000) * 100) / 100,
      removalUnproven: statementGrants.filter((g) => g.removalUnproven).length,
    };

    await recordAudit(tx, ctx, {
      action: "customer.statement_read",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { month: month.month, grants: totals.grants },
    });
    const [head] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.mspId, ctx.mspId)).orderBy(desc(auditEvents.seq)).limit(1);
    return {
      mspName, customer: { id: customer.id, name: customer.name, timeZone: customer.timeZone }, month, generatedAt: now, grants: statementGrants, totals, chainHead: head!,
    };
  });
}
