import { and, eq, inArray, isNull } from "drizzle-orm";
import { withMspTx } from "@/db/tx";
import type { Tx } from "@/db/client";
import { entraConnections, grants, members, type Customer } from "@/db/schema";
import { roleLabels } from "@/lib/auth/permissions";
import { mayHoldAccess } from "@/lib/grants/end-reasons";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import { openStates } from "@/lib/grants/states";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { signInReadiness } from "@/lib/services/customers/sign-in-readiness";
import { getMyAccessOnCustomerInTx } from "@/lib/services/delegations/my-access";
import { describeHours } from "@/lib/policies/describe-hours";
import { resolveDemands, type PolicyDemands } from "@/lib/services/policies/resolve";
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
      demands: PolicyDemands;
    }
  | { allowed: false; reasons: PolicyReason[]; existingGrantId?: string; demands: PolicyDemands };

/**
 * What a request must show to meet the access policies: a long enough justification, a ticket in the
 * right format, a start within the allowed hours, someone who may approve it, a duration within the limit.
 */
function policyReasons(demands: PolicyDemands, input: z.output<typeof requestGrantInput>, customerName: string, dryRun: boolean): PolicyReason[] {
  const reasons: PolicyReason[] = [];
  if (input.justification.length < demands.justificationMinLength) {
    reasons.push({ code: "justification_too_short", field: "justification", message: `Explain why in at least ${demands.justificationMinLength} characters.` });
  }
  if (!dryRun && demands.ticketRequired && !input.ticketRef) {
    reasons.push({ code: "ticket_required", field: "ticketRef", message: `A ticket reference is required for ${customerName}.` });
  }
  if (input.ticketRef && demands.ticketPatterns.some((p) => !new RegExp(`^(?:${p})$`).test(input.ticketRef!))) {
    reasons.push({ code: "ticket_format", field: "ticketRef", message: `The ticket reference must match ${demands.ticketPatterns.join(" and ")}.` });
  }
  for (const hours of demands.hours) {
    if (hours.restricts && !hours.within) {
      reasons.push({ code: "outside_allowed_hours", field: "startAt", message: `${hours.policy} allows access only ${describeHours(hours)} (${demands.timeZone}).` });
    }
  }
  const emergency = input.emergency && demands.approvalRequired;
  if (emergency && !demands.emergencyAllowed) {
    reasons.push({ code: "emergency_not_allowed", field: "emergency", message: `The policy for ${customerName} does not allow emergency access without approval.` });
  }
  if (demands.approvalRequired && !emergency && demands.approvers.length < demands.approvalsRequired) {
    reasons.push({
      code: "no_approvers",
      message: `This request needs ${demands.approvalsRequired === 2 ? "two approvals" : "an approval"}, and ${demands.approvers.length ? "only one other member" : "nobody else"} may give it. An admin must name more approvers.`,
    });
  }
  return reasons;
}


/**
 * The one place that decides whether a member may have a grant: a role that may hold access, an active
 * customer, delegation and enabled access levels, duration limits (the stricter of customer and
 * delegation), the customer's consent text, a connected tenant with no disconnect pending, and one live
 * grant per technician and customer — and then what the access policies demand (lib/services/policies/resolve.ts):
 * approval, ticket, justification, hours, duration, terms, a passkey step-up. Grants are held to the delegation
 * rules for as long as they live (entitlement.ts); callers only read the decision. A dry run (the policy
 * evaluation endpoint, the request form) assumes what the form asks at submit: the terms and a ticket.
 */
export async function evaluateGrantRequest(tx: Tx, ctx: ServiceContext, input: z.output<typeof requestGrantInput>, options: { dryRun?: boolean } = {}): Promise<PolicyDecision> {
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
  const demands = await resolveDemands(tx, { mspId: ctx.mspId, customer, levels: chosen, requesterId: me.memberId, at: input.startAt ?? new Date() });
  reasons.push(...policyReasons(demands, input, customer.name, options.dryRun ?? false));
  // Each chosen level allows its own maximum, and so may the policy; the request may not exceed the smallest.
  const maxDurationMinutes = Math.min(customer.maxDurationMinutes, demands.maxDurationMinutes ?? Infinity, ...chosen.map((l) => l.maxDurationMinutes));
  if (input.durationMinutes > maxDurationMinutes) {
    reasons.push({ code: "duration_too_long", field: "durationMinutes", message: `durationMinutes: at most ${maxDurationMinutes} minutes here.` });
  }
  if (demands.consentText && !input.consentAccepted && !options.dryRun) {
    reasons.push({ code: "consent_required", field: "consentAccepted", message: `Accept ${customer.name}'s terms to request access.` });
  }
  // A token cannot show a passkey; a session shows it when the request is made (request.ts spends it).
  if (demands.stepUpAtRequest && ctx.actor.type === "token") {
    reasons.push({ code: "step_up_required", message: `Requests on ${customer.name} need a passkey confirmation: request in the console.` });
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
    .select({ id: grants.id, state: grants.state })
    .from(grants)
    .where(and(eq(grants.mspId, ctx.mspId), eq(grants.customerId, customer.id), eq(grants.memberId, me.memberId), inArray(grants.state, [...openStates])))
    .limit(1);
  if (live?.state === "pending_approval") reasons.push({ code: "request_pending", message: `Your request for ${customer.name} is waiting for approval. Cancel it to ask differently.` });
  else if (live) reasons.push({ code: "live_grant_exists", message: `You already have access to ${customer.name}. Extend it instead.` });
  if (reasons.length || !connection) return { allowed: false, reasons, existingGrantId: live?.id, demands };
  const [technician] = await tx.select().from(members).where(and(eq(members.id, me.memberId), eq(members.mspId, ctx.mspId)));
  return {
    allowed: true,
    customer,
    tenantId: connection.tenantId,
    roleTemplateIds: [...new Set(chosen.flatMap((l) => l.roleTemplateIds))],
    maxDurationMinutes,
    signInMethod: signInReadiness(customer, connection)?.method ?? "password",
    technician: { id: technician!.id, email: technician!.email, displayName: technician!.displayName },
    demands,
  };
}

/**
 * The same decision as a dry run for the policy-evaluation endpoint and the request form: nothing is
 * written, and what the form asks at submit (accepting the terms, a ticket, a justification) is assumed;
 * the answer carries the policy's demands, so the form can show them before submit.
 */
export async function previewGrantRequest(
  ctx: ServiceContext,
  resource: { customerId: string; accessLevelIds: string[]; durationMinutes?: number; startAt?: Date; emergency?: boolean },
): Promise<PolicyDecision> {
  return withMspTx(ctx.mspId, (tx) =>
    evaluateGrantRequest(
      tx,
      ctx,
      {
        customerId: resource.customerId,
        accessLevelIds: resource.accessLevelIds,
        durationMinutes: resource.durationMinutes ?? 15,
        justification: "x".repeat(1000),
        ticketRef: null,
        startAt: resource.startAt,
        consentAccepted: true,
        emergency: resource.emergency ?? false,
      },
      { dryRun: true },
    ),
  );
}
