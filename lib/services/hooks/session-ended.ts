import { and, eq, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessHooks, grantHooks, grants, type AccessHook } from "@/db/schema";
import { newHookCall, type HookCall } from "@/lib/hooks/protocol";
import type { HookTransport } from "@/lib/hooks/transport";
import { finalStates } from "@/lib/grants/states";
import type { SystemContext } from "@/lib/services/context";
import { recordActStep } from "@/lib/services/grants/steps";
import { withMspTx } from "@/db/tx";
import { auditHookCall, callWithin, type HookOutcome } from "./call-hook";
import { grantFacts, sessionFacts } from "./facts";
import { openCookie, openSessionCookie } from "./secrets";
import { transportFor } from "./transport-for";

/** The grant hooks owed a session_ended call once their grant is final: those still on a policy, enabled, and asking for it. */
export async function sessionEndedHooks(tx: Tx, mspId: string, grantId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: grantHooks.id, events: accessHooks.events })
    .from(grantHooks)
    .innerJoin(grants, and(eq(grants.id, grantHooks.grantId), eq(grants.mspId, grantHooks.mspId)))
    .innerJoin(accessHooks, and(eq(accessHooks.id, grantHooks.hookId), eq(accessHooks.mspId, grantHooks.mspId)))
    .where(and(eq(grantHooks.grantId, grantId), eq(grantHooks.mspId, mspId), isNotNull(grantHooks.hookId), eq(accessHooks.enabled, true)));
  const [grant] = await tx.select({ state: grants.state }).from(grants).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
  if (!grant || !finalStates.includes(grant.state)) return [];
  return rows.filter((r) => r.events.includes("session_ended")).map((r) => r.id);
}

export type SessionEndedCall = { grantId: string; upn: string; hook: AccessHook; transport: HookTransport; call: HookCall };

/**
 * One session_ended call, as its delivery sends it: the grant's facts, how its access really ended with the
 * proof of removal, the hook's cookie and the grant's session cookie. Its `call_id` is the delivery's id, the
 * same on every retry, so a receiver acts on it once. Null when the hook was removed meanwhile.
 */
export async function prepareSessionEnded(tx: Tx, mspId: string, grantHookId: string, deliveryId: string): Promise<SessionEndedCall | null> {
  const [row] = await tx
    .select({ grantHook: grantHooks, hook: accessHooks, grant: grants })
    .from(grantHooks)
    .innerJoin(accessHooks, and(eq(accessHooks.id, grantHooks.hookId), eq(accessHooks.mspId, grantHooks.mspId)))
    .innerJoin(grants, and(eq(grants.id, grantHooks.grantId), eq(grants.mspId, grantHooks.mspId)))
    .where(and(eq(grantHooks.id, grantHookId), eq(grantHooks.mspId, mspId)));
  if (!row) return null;
  const { grantHook, hook, grant } = row;
  return {
    grantId: grant.id,
    upn: grant.upn,
    hook,
    transport: await transportFor(tx, hook, grant.customerId),
    call: newHookCall({
      type: "session_ended",
      hook,
      grant: await grantFacts(tx, grant),
      callId: deliveryId,
      keyValuePairs: grant.hookAnswers ?? {},
      cookie: openCookie(grantHook.id, grantHook.cookieEnvelope),
      sessionCookie: openSessionCookie(grant.id, grant.sessionCookieEnvelope),
      session: await sessionFacts(tx, grant),
    }),
  };
}

/**
 * One attempt at a session_ended call, bounded by the hook's timeout. Each attempt is audited; the acknowledged
 * one is also on the grant's timeline. Not acknowledged: retried by its delivery until it is.
 */
export async function sendSessionEnded(ctx: SystemContext, prepared: SessionEndedCall): Promise<{ ok: true; status: null } | { ok: false; status: null; error: string; retryAfterMs: number | null }> {
  const started = performance.now();
  const result = await callWithin(prepared.transport, prepared.call, prepared.hook.timeoutMs);
  const outcome: HookOutcome = result.ok
    ? { answer: { verdict: "ACCEPT" }, failed: null, latencyMs: Math.round(performance.now() - started) }
    : { answer: { verdict: "NONE" }, failed: result.error, latencyMs: Math.round(performance.now() - started) };
  await withMspTx(ctx.mspId, async (tx) => {
    await auditHookCall(tx, ctx, { hook: prepared.hook, call: prepared.call, outcome, target: { type: "grant", id: prepared.grantId, label: prepared.upn } });
    if (result.ok) await recordActStep(tx, { id: prepared.grantId, mspId: ctx.mspId }, "session_ended", `${prepared.hook.name} acknowledged the end of access`);
  });
  return result.ok ? { ok: true, status: null } : { ok: false, status: null, error: result.error, retryAfterMs: result.retryAfterMs };
}
