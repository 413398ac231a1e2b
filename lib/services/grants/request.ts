import { sql } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { jitDisplayName, jitUserPrincipalName } from "@/lib/grants/naming";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { spendStepUp } from "@/lib/services/auth/spend-step-up";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { evaluateGrantRequest, type PolicyReason } from "./evaluate-policy";
import { scheduleProvisioning } from "./schedule";
import { requestGrantInput } from "./schemas";
import { finishStep, startStep } from "./steps";
import { authenticateGrantRequest, closeHookConversation, hookColumns, recordGrantHooks } from "@/lib/services/hooks/for-request";

export class GrantDenied extends AppError {
  constructor(
    readonly reasons: PolicyReason[],
    readonly existingGrantId?: string,
  ) {
    const first = reasons[0];
    super(existingGrantId ? "conflict" : "validation_failed", reasons.map((r) => r.message).join(" "), {
      field: first?.field,
      details: { reasons, ...(existingGrantId ? { existingGrantId } : {}) },
    });
  }
}

/**
 * A technician asks for access: the policy decides. An allowed request becomes, in one transaction with its
 * audit event, an approved grant whose provisioning is queued for its start — or, when the policy asks for
 * approval, a grant pending approval that nothing provisions until approvers agree (approvals/approve.ts).
 * A break-glass request skips that approval and is flagged for review. A policy asking for a passkey uses up
 * the session's fresh step-up. A refused request is audited with its reasons and answered with them.
 */
export async function requestGrant(ctx: ServiceContext, input: unknown) {
  const me = requireMember(ctx);
  const asked = requestGrantInput.parse(input);
  // The policies' hooks are network calls: asked before the transaction, which then decides again under its lock.
  const hooked = await authenticateGrantRequest(ctx, asked);
  // A ticket the hooks asked for is the grant's ticket, held to the policy's format like a typed one.
  const form = { ...asked, ticketRef: asked.ticketRef ?? hooked?.authenticated.answers.ticket ?? null };
  const outcome = await withMspTx(ctx.mspId, async (tx) => {
    // One live grant per technician and customer, even for two requests at the same moment.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`grant:${ctx.mspId}:${me.memberId}:${form.customerId}`}, 0))`);
    const decision = await evaluateGrantRequest(tx, ctx, form);
    if (!decision.allowed) return decision;
    const { demands } = decision;
    if (demands.stepUpAtRequest) await spendStepUp(tx, ctx);
    const emergency = demands.approvalRequired && form.emergency;
    const pending = demands.approvalRequired && !emergency;
    const id = newId("grant");
    const now = new Date();
    const [grant] = await tx
      .insert(grants)
      .values({
        id,
        mspId: ctx.mspId,
        customerId: decision.customer.id,
        memberId: me.memberId,
        state: pending ? "pending_approval" : "approved",
        accessLevelIds: form.accessLevelIds,
        roleTemplateIds: decision.roleTemplateIds,
        expiryActions: decision.customer.expiryActions,
        signInMethod: decision.signInMethod,
        durationMinutes: form.durationMinutes,
        justification: form.justification,
        ticketRef: form.ticketRef,
        consentAcceptedAt: form.consentAccepted && demands.consentText ? now : null,
        consentText: form.consentAccepted ? demands.consentText : null,
        policyId: demands.policies[0]?.id ?? null,
        approvalsRequired: pending ? demands.approvalsRequired : 0,
        approverIds: demands.approvers.map((a) => a.id),
        approvalExpiresAt: pending ? new Date(now.getTime() + demands.approvalExpiryMinutes * 60_000) : null,
        emergency,
        startAt: form.startAt && form.startAt > now ? form.startAt : now,
        upn: jitUserPrincipalName({
          template: decision.customer.namingTemplate,
          grantId: id,
          technicianEmail: decision.technician.email,
          customerName: decision.customer.name,
          domain: decision.customer.upnDomain!,
        }),
        displayName: jitDisplayName(decision.technician.displayName),
        entraTenantId: decision.tenantId,
        ...hookColumns(id, hooked),
      })
      .returning();
    await recordGrantHooks(tx, grant!, hooked);
    const step = await startStep(tx, grant!, "requested");
    await finishStep(tx, ctx.mspId, step, "succeeded", form.justification);
    if (pending) await startStep(tx, grant!, "approval");
    const approverIds = demands.approvers.map((a) => a.id);
    await recordAudit(tx, ctx, {
      action: pending ? "grant.approval_requested" : emergency ? "grant.emergency_requested" : "grant.approved",
      target: { type: "grant", id, label: grant!.upn },
      reason: form.justification,
      metadata: {
        customer: decision.customer.id,
        accessLevels: form.accessLevelIds,
        roles: decision.roleTemplateIds,
        durationMinutes: form.durationMinutes,
        ticket: form.ticketRef,
        startAt: grant!.startAt.toISOString(),
        signInMethod: decision.signInMethod,
        policies: demands.policies.map((p) => p.id),
        ...(grant!.hookMetadata ? { hookMetadata: grant!.hookMetadata } : {}),
        ...(pending || emergency ? { approverIds, emergency } : {}),
        ...(pending ? { approvalsRequired: demands.approvalsRequired, approvalExpiresAt: grant!.approvalExpiresAt!.toISOString() } : {}),
        decision: pending ? "policy.approval_required" : emergency ? "policy.emergency" : "policy.allowed",
      },
    });
    return { allowed: true as const, grant: grant! };
  });
  if (!outcome.allowed) {
    await withMspTx(ctx.mspId, (tx) =>
      recordAudit(tx, ctx, {
        action: "grant.request_denied",
        result: "failure",
        reason: outcome.reasons.map((r) => r.message).join(" "),
        target: { type: "customer", id: form.customerId },
        metadata: { reasons: outcome.reasons.map((r) => r.code) },
      }),
    );
    throw new GrantDenied(outcome.reasons, outcome.existingGrantId);
  }
  await closeHookConversation(ctx, asked);
  if (outcome.grant.state === "approved") await scheduleProvisioning(outcome.grant);
  return outcome.grant;
}
