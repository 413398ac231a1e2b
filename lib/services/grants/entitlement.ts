import { and, eq, exists, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, customerAccessLevels, customers, entraConnections, members, type Grant } from "@/db/schema";
import { roleLabels } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { mayHoldAccess } from "@/lib/grants/end-reasons";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { delegatedLevelsOn } from "@/lib/services/delegations/my-access";

export type EntitlementGap = { reason: GrantEndReason; message: string };

export type Entitlement = {
  /** Why today's policy no longer covers the grant, in words; empty while it does. */
  gaps: EntitlementGap[];
  /** The longest the grant may last today: the stricter of the customer's and its levels' delegations. */
  maxDurationMinutes: number;
};

type Subject = Pick<Grant, "mspId" | "memberId" | "customerId" | "entraTenantId" | "accessLevelIds">;

/**
 * A grant measured against today's policy, by the rules a request is held to (evaluate-policy.ts): an
 * active member whose role may hold access, an active customer still connected to the grant's tenant with
 * no disconnect pending, and every one of the grant's access levels live, enabled on the customer and
 * delegated to the member there (delegatedLevelsOn, the rule requests use).
 */
export async function entitlementOf(tx: Tx, grant: Subject): Promise<Entitlement> {
  const [facts] = await tx
    .select({
      memberName: members.displayName,
      memberStatus: members.status,
      role: members.role,
      customerName: customers.name,
      customerStatus: customers.status,
      customerMaxMinutes: customers.maxDurationMinutes,
      connectionStatus: entraConnections.status,
      tenantId: entraConnections.tenantId,
      disconnectRequestedAt: entraConnections.disconnectRequestedAt,
    })
    .from(members)
    .innerJoin(customers, and(eq(customers.id, grant.customerId), eq(customers.mspId, members.mspId)))
    .leftJoin(entraConnections, and(eq(entraConnections.customerId, customers.id), eq(entraConnections.mspId, customers.mspId)))
    .where(and(eq(members.id, grant.memberId), eq(members.mspId, grant.mspId)));
  if (!facts) throw notFound("Member");
  const gaps: EntitlementGap[] = [];
  const { memberName, customerName } = facts;
  if (facts.memberStatus !== "active") gaps.push({ reason: "member_disabled", message: `${memberName} is disabled.` });
  if (!mayHoldAccess(facts.role)) gaps.push({ reason: "role_changed", message: `${memberName} is now ${roleLabels[facts.role].toLowerCase()}, a role that holds no access.` });
  if (facts.customerStatus !== "active") gaps.push({ reason: "customer_archived", message: `${customerName} is archived.` });
  if (facts.connectionStatus !== "connected") {
    gaps.push({ reason: "tenant_disconnected", message: `${customerName}'s Entra ID is no longer connected.` });
  } else if (facts.disconnectRequestedAt) {
    gaps.push({ reason: "tenant_disconnected", message: `${customerName}'s Entra ID is being disconnected.` });
  } else if (facts.tenantId !== grant.entraTenantId) {
    gaps.push({ reason: "tenant_disconnected", message: `${customerName} is now connected to another tenant than this grant's.` });
  }

  const delegated = new Map((await delegatedLevelsOn(tx, grant.mspId, grant.memberId, grant.customerId)).map((l) => [l.accessLevelId, l]));
  const missing = grant.accessLevelIds.filter((id) => !delegated.has(id));
  if (missing.length) gaps.push(...(await levelGaps(tx, grant, missing, memberName, customerName)));
  const chosen = grant.accessLevelIds.flatMap((id) => delegated.get(id)?.maxDurationMinutes ?? []);
  return { gaps, maxDurationMinutes: Math.min(facts.customerMaxMinutes, ...chosen) };
}

/** Why each level is no longer the member's on the customer: archived, switched off there, or no longer delegated. */
async function levelGaps(tx: Tx, grant: Subject, levelIds: string[], memberName: string, customerName: string): Promise<EntitlementGap[]> {
  const enabledHere = tx
    .select({ id: customerAccessLevels.accessLevelId })
    .from(customerAccessLevels)
    .where(and(eq(customerAccessLevels.mspId, grant.mspId), eq(customerAccessLevels.customerId, grant.customerId), eq(customerAccessLevels.accessLevelId, accessLevels.id)));
  const levels = await tx
    .select({ id: accessLevels.id, name: accessLevels.name, archivedAt: accessLevels.archivedAt, enabled: exists(enabledHere).mapWith(Boolean) })
    .from(accessLevels)
    .where(and(eq(accessLevels.mspId, grant.mspId), inArray(accessLevels.id, levelIds)));
  return levelIds.map((id): EntitlementGap => {
    const level = levels.find((l) => l.id === id);
    if (!level || level.archivedAt) return { reason: "access_level_archived", message: `The access level ${level?.name ?? id} is archived.` };
    if (!level.enabled) return { reason: "access_level_disabled", message: `${level.name} is no longer enabled on ${customerName}.` };
    return { reason: "delegation_removed", message: `${level.name} is no longer delegated to ${memberName} on ${customerName}.` };
  });
}

/**
 * Whether a grant due to start is still allowed by today's policy, duration included: null when it is,
 * otherwise the first gap's reason and every gap in words.
 */
export async function lapsedAtStart(tx: Tx, grant: Subject & Pick<Grant, "durationMinutes" | "extendedMinutes">): Promise<EntitlementGap | null> {
  const { gaps, maxDurationMinutes } = await entitlementOf(tx, grant);
  const minutes = grant.durationMinutes + grant.extendedMinutes;
  if (gaps.length === 0 && minutes > maxDurationMinutes) {
    gaps.push({ reason: "duration_exceeded", message: `It lasts ${minutes} minutes; today's maximum is ${maxDurationMinutes}.` });
  }
  return gaps[0] ? { reason: gaps[0].reason, message: gaps.map((g) => g.message).join(" ") } : null;
}
