import { createHash } from "node:crypto";
import type { AccessHook } from "@/db/schema";
import type { Tx } from "@/db/client";
import { withMspTx } from "@/db/tx";
import { grantHooks, type Grant } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { evaluateGrantRequest } from "@/lib/services/grants/evaluate-policy";
import type { GrantRequestForm } from "@/lib/services/grants/schemas";
import { authenticateRequest, endConversation, type Authenticated } from "./authenticate";
import { requestFacts } from "./facts";
import { hooksOfPolicies } from "./of-policies";
import { sealCookie, sealSessionCookie } from "./secrets";

export type HookedRequest = { hooks: AccessHook[]; authenticated: Authenticated };

/**
 * Asks the hooks of the policies a request falls under, before it is written: null when it has none (or
 * would be refused anyway, which the request itself then says).
 */
export async function authenticateGrantRequest(ctx: ServiceContext, form: GrantRequestForm): Promise<HookedRequest | null> {
  const prepared = await withMspTx(ctx.mspId, async (tx) => {
    const decision = await evaluateGrantRequest(tx, ctx, form);
    if (!decision.allowed) return null;
    const hooks = await hooksOfPolicies(tx, ctx.mspId, decision.demands.policies.map((p) => p.id));
    if (!hooks.length) return null;
    const facts = await requestFacts(tx, ctx.mspId, { ...decision, ...form, accessLevelIds: form.accessLevelIds, startAt: form.startAt ?? new Date() });
    return { hooks, facts };
  });
  if (!prepared) return null;
  const authenticated = await authenticateRequest(ctx, prepared.hooks, prepared.facts, form.hookReply ?? null, requestDigest(form));
  return { hooks: prepared.hooks, authenticated };
}

/** What a request asks for, as hooks judge it: the rounds of one conversation must all be about the same request. */
function requestDigest(form: GrantRequestForm): string {
  const asked = [form.customerId, [...form.accessLevelIds].sort(), form.durationMinutes, form.justification, form.ticketRef, form.startAt?.toISOString() ?? null, form.emergency];
  return createHash("sha256").update(JSON.stringify(asked)).digest("base64url");
}

/** What the hooks said, as columns of the grant about to be inserted. */
export function hookColumns(grantId: string, hooked: HookedRequest | null) {
  if (!hooked) return {};
  const { accepted, sessionCookie, answers } = hooked.authenticated;
  const metadata = accepted.map((a) => a.metadata).filter((m): m is string => Boolean(m));
  return {
    hookMetadata: metadata.length ? metadata.join(" · ") : null,
    hookAnswers: Object.keys(answers).length ? answers : null,
    sessionCookieEnvelope: Object.keys(sessionCookie).length ? sealSessionCookie(grantId, sessionCookie) : null,
  };
}

/** Every hook of the grant gets its row, in order, with the cookie and metadata authenticate left it. */
export async function recordGrantHooks(tx: Tx, grant: Grant, hooked: HookedRequest | null): Promise<void> {
  if (!hooked) return;
  const rows = hooked.hooks.map((hook, i) => {
    const id = newId("grantHook");
    const accepted = hooked.authenticated.accepted.find((a) => a.hookId === hook.id);
    return {
      id,
      mspId: grant.mspId,
      grantId: grant.id,
      hookId: hook.id,
      hookName: hook.name,
      position: i + 1,
      cookieEnvelope: accepted && Object.keys(accepted.cookie).length ? sealCookie(id, accepted.cookie) : null,
      metadata: accepted?.metadata ?? null,
    };
  });
  await tx.insert(grantHooks).values(rows);
}

export async function closeHookConversation(ctx: ServiceContext, form: GrantRequestForm): Promise<void> {
  if (form.hookReply) await endConversation(ctx, form.hookReply.conversationId);
}
