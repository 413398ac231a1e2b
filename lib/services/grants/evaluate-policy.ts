import { and, eq, inArray, isNull } from "drizzle-orm";
import { withMspTx } from "@/db/tx";
import type { Tx } from "@/db/client";
import { entraConnections, grants, members, type Customer } from "@/db/schema";
import { roleLabels } from "@/lib/auth/permissions";
import { mayHoldAccess } from "@/lib/grants/end-reasons";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import { liveStates } from "@/lib/grants/states";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { signInReadiness } from "@/lib/services/customers/sign-in-readiness";
import { getMyAccessOnCustomerInTx } from "@/lib/services/delegations/my-access";
import type { z } from "zod";
import type { requestGrantInput } from "./schemas";

export type PolicyReason = { code: string; message: string; field?: string };

export type PolicyDecision =
  | {
      allowed: true;
      customer: Customer;
      tenantId: string;
      roleTemplateIds: string[];
      maxDurationMinutes: number;
      /** How the grant's account will sign in: the customer's method where the tenant allows it. */
      signInMethod: SignInMethod;
      technician: { id: string; email: string; displayName: string };
    }
  | { allowed: false; reasons: PolicyReason[]; existingGrantId?: string };

/**
 * The one place that decides whether a member may have a grant: a role that may hold access, an active
 * customer, delegation and enabled access levels, duration limits (the stricter of customer and
 * delegation), the customer's consent text, a connected tenant with no disconnect pending, and one live
 * grant per technician and customer. Grants are held to the same rules for as long as they live
 * (entitlement.ts). Approvals and plugin hooks will join here; callers only read the decision.
 */
export async function evaluateGrantRequest(tx: Tx, ctx: ServiceContext, input: z.output<typeof requestGrantInput>): Promise<PolicyDecision> {
  const me = requireMember(ctx);
  const reasons: PolicyReason[] = [];
  const access = await getMyAccessOnCustomerInTx(tx, ctx, input.customerId);
  const { customer } = access;
  if (!mayHoldAccess(me.role)) reasons.push({ code: "role_holds_no_access", message: `As ${roleLabels[me.role].toLowerCase()} you cannot have access to customers' tenants.` });
  if (customer.status !== "active") reasons.push({ code: "customer_archived", message: `${customer.name} is archived.` });
  const offered = new Map(access.accessLevels.map((l) => [l.accessLevelId, l]));
  const notOffered = input.accessLevelIds.filter((id) => !offered.has(id));
  if (notOffered.length) {
    reasons.push({ code: "access_level_not_delegated", field: "accessLevelIds", message: `Not delegated to you on ${customer.name}: ${notOffered.join(", ")}.` });
  }
  const chosen = input.accessLevelIds.map((id) => offered.get(id)).filter((l) => l !== undefined);
  // Each chosen level allows its own maximum; the request may not exceed the smallest.
  const maxDurationMinutes = Math.min(customer.maxDurationMinutes, ...chosen.map((l) => l.maxDurationMinutes));
  if (input.durationMinutes > maxDurationMinutes) {
    reasons.push({ code: "duration_too_long", field: "durationMinutes", message: `durationMinutes: at most ${maxDurationMinutes} minutes here.` });
  }
  if (customer.consentText && !input.consentAccepted) {
    reasons.push({ code: "consent_required", field: "consentAccepted", message: `Accept ${customer.name}'s terms to request access.` });
  }
  if (input.startAt && input.startAt.getTime() > Date.now() + 30 * 86_400_000) {
    reasons.push({ code: "start_too_late", field: "startAt", message: "startAt: at most 30 days ahead." });
  }
  // Read for share: a disconnect in progress (which locks the row first) either sees this grant or is seen.
  const [connection] = await tx
    .select()
    .from(entraConnections)
    .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.status, "connected"), isNull(entraConnections.disconnectRequestedAt)))
    .for("share");
  if (!connection) reasons.push({ code: "not_connected", message: `${customer.name}'s Entra ID is not connected.` });
  // A connection the last check found broken (consent revoked, a permission removed) cannot make an account.
  else if (connection.healthOk === false) {
    reasons.push({ code: "connection_unhealthy", message: `${customer.name}'s Entra connection is not working: ${connection.healthDetail ?? "the last check failed"} An admin must fix it first.` });
  }
  if (!customer.upnDomain) reasons.push({ code: "no_upn_domain", message: `${customer.name} has no UPN domain for JIT accounts; an admin must choose one.` });
  const [live] = await tx
    .select({ id: grants.id })
    .from(grants)
    .where(and(eq(grants.mspId, ctx.mspId), eq(grants.customerId, customer.id), eq(grants.memberId, me.memberId), inArray(grants.state, [...liveStates])))
    .limit(1);
  if (live) reasons.push({ code: "live_grant_exists", message: `You already have access to ${customer.name}. Extend it instead.` });
  if (reasons.length || !connection) return { allowed: false, reasons, existingGrantId: live?.id };
  const [technician] = await tx.select().from(members).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId)));
  return {
    allowed: true,
    customer,
    tenantId: connection.tenantId,
    roleTemplateIds: [...new Set(chosen.flatMap((l) => l.roleTemplateIds))],
    maxDurationMinutes,
    signInMethod: signInReadiness(customer, connection)?.method ?? "password",
    technician: { id: technician!.id, email: technician!.email, displayName: technician!.displayName },
  };
}

/**
 * The same decision as a dry run for the policy-evaluation endpoint: nothing is written, and the
 * technician's acceptance of consent text (a step of the request form, not a permission) is assumed.
 */
export async function previewGrantRequest(
  ctx: ServiceContext,
  resource: { customerId: string; accessLevelIds: string[]; durationMinutes?: number },
): Promise<PolicyDecision> {
  return withMspTx(ctx.mspId, (tx) =>
    evaluateGrantRequest(tx, ctx, {
      customerId: resource.customerId,
      accessLevelIds: resource.accessLevelIds,
      durationMinutes: resource.durationMinutes ?? 15,
      justification: "policy evaluation",
      ticketRef: null,
      consentAccepted: true,
    }),
  );
}
