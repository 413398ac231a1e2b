import type { z } from "zod";
import { can, permissions, type Permission } from "@/lib/auth/permissions";
import { scopeForPermission } from "@/lib/auth/token-scopes";
import { tokenScopes, type TokenScope } from "@/lib/vocabulary/token-scopes";
import { AppError } from "@/lib/errors";
import { requirePermission, type RequestInfo, type ServiceContext } from "@/lib/services/context";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";
import { previewGrantRequest } from "@/lib/services/grants/evaluate-policy";
import { dryRunAuthenticateHooks } from "@/lib/services/hooks/dry-run";
import { authenticateToken } from "@/lib/services/tokens/authenticate";
import { recordSubjectEvaluation } from "@/lib/services/tokens/record-evaluation";
import type { evaluatePolicyBody, evaluatePolicyOutput } from "./schemas";

type Input = z.output<typeof evaluatePolicyBody>;
type Output = z.input<typeof evaluatePolicyOutput>;
type Reason = { code: string; message: string; field?: string };

/**
 * Scopes whose use needs nothing but membership (own grants, own tokens, visible customers); the others
 * need the role permission named here. A scope is effective when the token has it AND the owner's role
 * allows it now.
 */
const scopeNeeds: Record<TokenScope, Permission | null> = {
  "grants:read": null,
  "grants:write": null,
  "credentials:read": null,
  "customers:read": null,
  "audit:read": "audit:read",
  "tokens:manage": null,
  "approvals:write": "approvals:decide",
  "members:read": "members:read",
};

function effective(ctx: ServiceContext): { scopes: TokenScope[]; permissions: Permission[]; customerIds: string[] | null } {
  const actor = ctx.actor;
  if (actor.type !== "member" && actor.type !== "token") return { scopes: [], permissions: [], customerIds: null };
  const held = actor.type === "token" ? actor.scopes : tokenScopes;
  const scopes = held.filter((sc) => scopeNeeds[sc] === null || can(actor.role, scopeNeeds[sc]!));
  const perms = permissions.filter((p) => can(actor.role, p) && (actor.type === "member" || (scopeForPermission[p] !== null && held.includes(scopeForPermission[p]!))));
  return { scopes: [...scopes], permissions: perms, customerIds: actor.type === "token" ? (actor.customerIds ? [...actor.customerIds] : null) : null };
}

async function subjectContext(caller: ServiceContext, subject: NonNullable<Input["subject"]>, request: RequestInfo): Promise<ServiceContext | null> {
  const basic = `Basic ${Buffer.from(`${subject.username}:${subject.token}`).toString("base64")}`;
  try {
    const principal = await authenticateToken(basic, request);
    // Another MSP's token is indistinguishable from an invalid one.
    return principal.mspId === caller.mspId ? principal : null;
  } catch (err) {
    if (err instanceof AppError && err.code === "unauthorized") return null;
    throw err;
  }
}

/**
 * POST /api/v1/policies/evaluate ("may user:token do this?"). A dry run: it uses the same services a real
 * call would (visibility, delegations, customer settings, live grants), never writes a grant, and never
 * throws for a subject that is not allowed — the answer says why. Evaluating the caller is open to any
 * caller. Evaluating someone's token (a subject) tells whether that token is valid, so it is an admin's
 * tool (tokens:manage_all; through a token, the tokens:manage scope too) and is audited, answer included.
 */
export async function evaluatePolicy(caller: ServiceContext, input: Input, request: RequestInfo): Promise<Output> {
  if (!input.subject) return evaluate(caller, input);
  requirePermission(caller, "tokens:manage_all");
  const answer = await evaluate(await subjectContext(caller, input.subject, request), input);
  await recordSubjectEvaluation(caller, {
    subject: answer.subject?.tokenId ? { memberId: answer.subject.memberId, tokenId: answer.subject.tokenId } : null,
    action: input.action,
    allowed: answer.allowed,
    reasons: answer.reasons.map((r) => r.code),
  });
  return answer;
}

async function evaluate(subject: ServiceContext | null, input: Input): Promise<Output> {
  const empty = { scopes: [], permissions: [], customerIds: null, accessLevels: [] };
  if (!subject) {
    return { allowed: false, reasons: [{ code: "subject_invalid", message: "The subject's token is invalid, expired or revoked, or the username does not match.", field: "subject" }], subject: null, effectivePermissions: empty, demands: null, hooks: null };
  }
  const actor = subject.actor;
  const memberId = actor.type === "token" || actor.type === "member" ? actor.memberId : "";
  const eff = effective(subject);
  const reasons: Reason[] = [];
  if (!eff.scopes.includes(input.action)) {
    const has = actor.type === "token" && actor.scopes.includes(input.action);
    reasons.push(
      has
        ? { code: "role_forbids", message: `The owner's role does not allow ${input.action}.` }
        : { code: "missing_scope", message: `The token lacks the ${input.action} scope.`, field: "action" },
    );
  }
  let accessLevels: Output["effectivePermissions"]["accessLevels"] = [];
  let demands: Output["demands"] = null;
  let hooks: Output["hooks"] = null;
  const { customerId, accessLevelIds, durationMinutes, startAt, emergency, ticketRef, runHooks } = input.resource;
  if (customerId) {
    const access = await getMyAccessOnCustomer(subject, customerId).catch((err) => {
      if (err instanceof AppError && err.code === "not_found") return null;
      throw err;
    });
    if (!access) {
      reasons.push({ code: "customer_not_visible", message: "The customer does not exist or the subject cannot see it.", field: "resource.customerId" });
    } else {
      accessLevels = access.accessLevels.map((l) => ({ accessLevelId: l.accessLevelId, name: l.name, maxDurationMinutes: l.maxDurationMinutes }));
      if (input.action === "grants:write") {
        if (!accessLevelIds?.length && access.accessLevels.length === 0) {
          reasons.push({ code: "no_delegation", message: `Nothing is delegated to the subject on ${access.customer.name}.` });
        }
        // The same decision a real request would get (lib/services/grants/evaluate-policy.ts), as a dry run.
        const decision = await previewGrantRequest(subject, { customerId, accessLevelIds: accessLevelIds ?? [], durationMinutes, startAt, emergency });
        demands = decision.demands;
        if (!decision.allowed) {
          for (const r of decision.reasons) reasons.push({ ...r, ...(r.field ? { field: `resource.${r.field}` } : {}) });
        } else if (runHooks) {
          const said = await dryRunAuthenticateHooks(subject, decision, { accessLevelIds: accessLevelIds ?? [], durationMinutes: durationMinutes ?? 15, ticketRef: ticketRef ?? null, startAt: startAt ?? new Date() });
          hooks = said;
          for (const h of said) if (h.verdict === "DENY") reasons.push({ code: "hook_denied", message: `${h.hook}: ${h.message ?? "refused the request."}` });
        }
      }
    }
  }
  return {
    allowed: reasons.length === 0,
    reasons,
    subject: { memberId, tokenId: actor.type === "token" ? actor.tokenId : null },
    effectivePermissions: { ...eff, accessLevels },
    demands,
    hooks,
  };
}
