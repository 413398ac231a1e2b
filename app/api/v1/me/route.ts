import { operations } from "@/lib/api/operations";
import { evaluatePolicy } from "@/lib/api/v1/policy";
import { route } from "@/lib/http/route";
import { isoRequired } from "@/lib/api/v1/schemas";

export const GET = route(operations.getMe, async ({ ctx, principal, request }) => {
  const eff = (await evaluatePolicy(ctx, { action: "grants:read", resource: {} }, request)).effectivePermissions;
  if (principal.kind === "token") {
    const a = principal.ctx.actor;
    return {
      mspId: ctx.mspId,
      member: { id: a.memberId, email: a.label, role: a.role },
      authenticatedBy: "token" as const,
      token: { id: principal.token.id, name: principal.token.name, type: principal.token.type, scopes: [...a.scopes], customerIds: a.customerIds ? [...a.customerIds] : null, expiresAt: isoRequired(principal.token.expiresAt) },
      permissions: eff.permissions,
    };
  }
  const m = principal.session.member;
  return { mspId: ctx.mspId, member: { id: m.id, email: m.email, role: m.role }, authenticatedBy: "session" as const, token: null, permissions: eff.permissions };
});
