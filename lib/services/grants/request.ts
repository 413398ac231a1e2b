import { sql } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { jitDisplayName, jitUserPrincipalName } from "@/lib/grants/naming";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { evaluateGrantRequest, type PolicyReason } from "./evaluate-policy";
import { scheduleProvisioning } from "./schedule";
import { requestGrantInput } from "./schemas";
import { finishStep, startStep } from "./steps";

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
 * A technician asks for access: the policy decides; an allowed request becomes an approved grant in
 * one transaction with its audit event, and provisioning is queued for its start. A denied request is
 * audited with its reasons and answered with them.
 */
export async function requestGrant(ctx: ServiceContext, input: unknown) {
  const me = requireMember(ctx);
  const form = requestGrantInput.parse(input);
  const outcome = await withMspTx(ctx.mspId, async (tx) => {
    // One live grant per technician and customer, even for two requests at the same moment.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`grant:${ctx.mspId}:${me.memberId}:${form.customerId}`}, 0))`);
    const decision = await evaluateGrantRequest(tx, ctx, form);
    if (!decision.allowed) return decision;
    const id = newId("grant");
    const now = new Date();
    const [grant] = await tx
      .insert(grants)
      .values({
        id,
        mspId: ctx.mspId,
        customerId: decision.customer.id,
        memberId: me.memberId,
        state: "approved",
        accessLevelIds: form.accessLevelIds,
        roleTemplateIds: decision.roleTemplateIds,
        expiryActions: decision.customer.expiryActions,
        signInMethod: decision.signInMethod,
        durationMinutes: form.durationMinutes,
        justification: form.justification,
        ticketRef: form.ticketRef,
        consentAcceptedAt: form.consentAccepted ? now : null,
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
      })
      .returning();
    const step = await startStep(tx, grant!, "requested");
    await finishStep(tx, ctx.mspId, step, "succeeded", form.justification);
    await recordAudit(tx, ctx, {
      action: "grant.approved",
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
        decision: "policy.allowed",
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
  await scheduleProvisioning(outcome.grant);
  return outcome.grant;
}
