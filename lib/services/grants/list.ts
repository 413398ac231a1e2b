import { and, asc, desc, eq, ilike, inArray, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { containsPattern } from "@/db/contains";
import { customers, grants, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { grantStates } from "@/lib/vocabulary/grant-states";
import { openStates } from "@/lib/grants/states";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { grantAccessLevels } from "./label";

export const grantFilterInput = z.object({
  customerId: z.string().max(40).optional(),
  memberId: z.string().max(40).optional(),
  state: z.enum(grantStates).optional(),
  scope: z.enum(["live", "history", "all"]).default("live"),
  /** Text in the ticket, justification, account name or what the hooks said. */
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const columns = {
  id: grants.id,
  state: grants.state,
  customerId: grants.customerId,
  customerName: customers.name,
  isSandbox: customers.isSandbox,
  memberId: grants.memberId,
  memberName: members.displayName,
  memberEmail: members.email,
  upn: grants.upn,
  roleTemplateIds: grants.roleTemplateIds,
  accessLevelIds: grants.accessLevelIds,
  accessLevels: grantAccessLevels,
  durationMinutes: grants.durationMinutes,
  extendedMinutes: grants.extendedMinutes,
  justification: grants.justification,
  ticketRef: grants.ticketRef,
  hookMetadata: grants.hookMetadata,
  startAt: grants.startAt,
  usableFrom: grants.usableFrom,
  endsAt: grants.endsAt,
  usableTo: grants.usableTo,
  endReason: grants.endReason,
  revokeReason: grants.revokeReason,
  failureReason: grants.failureReason,
  nextExpiryAttemptAt: grants.nextExpiryAttemptAt,
  signInMethod: grants.signInMethod,
  tapExpiresAt: grants.tapExpiresAt,
  tapRenewalError: grants.tapRenewalError,
  approvalExpiresAt: grants.approvalExpiresAt,
  approvalsRequired: grants.approvalsRequired,
  approvedBy: grants.approvedBy,
  denialReason: grants.denialReason,
  emergency: grants.emergency,
  createdAt: grants.createdAt,
};

// Trouble first (irrevocable, failed), then what is ending.
const attentionOrder = sql`case ${grants.state} when 'irrevocable' then 0 when 'failed' then 1 when 'expiring' then 2 else 3 end`;

function scopeCondition(scope: "live" | "history" | "all"): SQL | undefined {
  if (scope === "live") return inArray(grants.state, [...openStates]);
  if (scope === "history") return notInArray(grants.state, [...openStates]);
  return undefined;
}

/** Live grants: trouble first, then what ends soonest. History: newest first. */
function orderFor(scope: "live" | "history" | "all") {
  return scope === "history"
    ? [desc(sql`coalesce(${grants.usableTo}, ${grants.updatedAt})`)]
    : [asc(attentionOrder), asc(grants.endsAt), desc(grants.createdAt)];
}

/** A token restricted to some customers reads only their grants (the same restriction as visibleCustomers). */
function tokenCustomers(ctx: ServiceContext): SQL | undefined {
  if (ctx.actor.type !== "token" || ctx.actor.customerIds === null) return undefined;
  return ctx.actor.customerIds.length > 0 ? inArray(grants.customerId, [...ctx.actor.customerIds]) : sql`false`;
}

async function query(ctx: ServiceContext, scope: "live" | "history" | "all", where: (SQL | undefined)[], limit: number) {
  return withMspTx(ctx.mspId, (tx) =>
    tx
      .select(columns)
      .from(grants)
      .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
      .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
      .where(and(eq(grants.mspId, ctx.mspId), tokenCustomers(ctx), ...where))
      .orderBy(...orderFor(scope))
      .limit(limit),
  );
}

/** The signed-in technician's own grants. */
export async function listMyGrants(ctx: ServiceContext, input: unknown = {}) {
  const me = requireMember(ctx);
  const f = grantFilterInput.parse(input);
  return query(ctx, f.scope, [eq(grants.memberId, me.memberId), ...filterConditions({ ...f, memberId: undefined })], f.limit);
}

function textMatch(text: string): SQL {
  const pattern = containsPattern(text);
  return or(ilike(grants.ticketRef, pattern), ilike(grants.justification, pattern), ilike(grants.upn, pattern), ilike(grants.hookMetadata, pattern))!;
}

function filterConditions(f: z.output<typeof grantFilterInput>): (SQL | undefined)[] {
  return [
    scopeCondition(f.scope),
    f.customerId ? eq(grants.customerId, f.customerId) : undefined,
    f.memberId ? eq(grants.memberId, f.memberId) : undefined,
    f.state ? eq(grants.state, f.state) : undefined,
    f.q ? textMatch(f.q) : undefined,
  ];
}

/** Every grant of the MSP (admins, auditors), filtered by customer, technician and state. */
export async function listAllGrants(ctx: ServiceContext, input: unknown = {}) {
  requirePermission(ctx, "grants:read_all");
  const f = grantFilterInput.parse(input);
  return query(ctx, f.scope, filterConditions(f), f.limit);
}

/** The most grants one export holds: a year of a large MSP; narrower filters for more. */
export const GRANT_EXPORT_LIMIT = 10_000;

/** The same list and order for an export, with room for GRANT_EXPORT_LIMIT rows instead of a page. */
export async function listAllGrantsForExport(ctx: ServiceContext, input: unknown = {}) {
  requirePermission(ctx, "grants:read_all");
  const f = grantFilterInput.omit({ limit: true }).parse(input);
  return query(ctx, f.scope, filterConditions({ ...f, limit: GRANT_EXPORT_LIMIT }), GRANT_EXPORT_LIMIT);
}
