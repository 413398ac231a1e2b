import { and, asc, eq, isNotNull } from "drizzle-orm";
import { accessHooks, grantHooks, grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newHookCall, type HookCall } from "@/lib/hooks/protocol";
import type { SystemContext } from "@/lib/services/context";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { noLease, takeLease } from "@/lib/services/grants/lease";
import { finishStep, startStep } from "@/lib/services/grants/steps";
import { transitionGrant } from "@/lib/services/grants/transition";
import { auditHookCall, callHook, type HookOutcome } from "./call-hook";
import { grantFacts } from "./facts";
import { openCookie, openSessionCookie, sealCookie, sealSessionCookie } from "./secrets";
import { transportFor } from "./transport-for";

/** go: provision now. denied: a hook said no and the grant is denied. busy: another run holds the grant. */
export type AuthorizeResult = "go" | "denied" | "busy";

/**
 * Asks the grant's authorize hooks, once, when its provisioning is due (after policy and approval, and at the
 * start of a scheduled grant), before any account is made. Every hook must say ACCEPT or NONE; one DENY denies
 * the grant with its message. The calls run under the grant's lease, outside a transaction; `authorizedAt`
 * records that they were asked, so a retried or resumed provisioning never asks twice.
 */
export async function authorizeGrant(ctx: SystemContext, grantId: string, holder: string): Promise<AuthorizeResult> {
  const mspId = ctx.mspId;
  const prepared = await withMspTx(mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (grant.state !== "approved" || grant.authorizedAt || grant.startAt.getTime() > Date.now()) return null;
    const rows = await tx
      .select({ grantHook: grantHooks, hook: accessHooks })
      .from(grantHooks)
      .innerJoin(accessHooks, and(eq(accessHooks.id, grantHooks.hookId), eq(accessHooks.mspId, grantHooks.mspId)))
      .where(and(eq(grantHooks.grantId, grant.id), eq(grantHooks.mspId, mspId), isNotNull(grantHooks.hookId), eq(accessHooks.enabled, true)))
      .orderBy(asc(grantHooks.position));
    const asking = rows.filter((r) => r.hook.events.includes("authorize"));
    if (!asking.length) {
      await tx.update(grants).set({ authorizedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId)));
      return null;
    }
    if (!(await takeLease(tx, grant, holder))) return "busy" as const;
    const facts = await grantFacts(tx, grant);
    const calls = await Promise.all(asking.map(async (r) => ({ ...r, transport: await transportFor(tx, r.hook, grant.customerId) })));
    return { grant, facts, calls, stepId: await startStep(tx, grant, "authorize") };
  });
  if (prepared === null) return "go";
  if (prepared === "busy") return "busy";

  const { grant, facts } = prepared;
  let sessionCookie = openSessionCookie(grant.id, grant.sessionCookieEnvelope);
  const results: { grantHookId: string; hook: (typeof prepared.calls)[number]["hook"]; call: HookCall; outcome: HookOutcome }[] = [];
  for (const { grantHook, hook, transport } of prepared.calls) {
    const call = newHookCall({
      type: "authorize",
      hook,
      grant: facts,
      keyValuePairs: grant.hookAnswers ?? {},
      cookie: openCookie(grantHook.id, grantHook.cookieEnvelope),
      sessionCookie,
    });
    const outcome = await callHook(hook, transport, call);
    if (outcome.answer.session_cookie) sessionCookie = outcome.answer.session_cookie;
    results.push({ grantHookId: grantHook.id, hook, call, outcome });
    if (outcome.answer.verdict === "DENY") break;
  }

  return withMspTx(mspId, async (tx) => {
    const now = new Date();
    for (const r of results) {
      const { answer } = r.outcome;
      await tx
        .update(grantHooks)
        .set({
          authorizeVerdict: answer.verdict,
          authorizedAt: now,
          ...(answer.cookie ? { cookieEnvelope: sealCookie(r.grantHookId, answer.cookie) } : {}),
          ...(answer.additional_metadata ? { metadata: answer.additional_metadata } : {}),
        })
        .where(and(eq(grantHooks.id, r.grantHookId), eq(grantHooks.mspId, mspId)));
      await auditHookCall(tx, ctx, { hook: r.hook, call: r.call, outcome: r.outcome, target: { type: "grant", id: grant.id, label: grant.upn } });
    }
    const metadata = (await tx.select({ metadata: grantHooks.metadata }).from(grantHooks).where(and(eq(grantHooks.grantId, grant.id), eq(grantHooks.mspId, mspId))).orderBy(asc(grantHooks.position)))
      .map((h) => h.metadata)
      .filter(Boolean)
      .join(" · ");
    const patch = { sessionCookieEnvelope: Object.keys(sessionCookie).length ? sealSessionCookie(grant.id, sessionCookie) : null, hookMetadata: metadata || null, ...noLease };
    const denial = results.find((r) => r.outcome.answer.verdict === "DENY");
    const summary = results.map((r) => `${r.hook.name}: ${r.outcome.answer.verdict}${r.outcome.failed ? ` (${r.outcome.failed})` : ""}`).join("; ");
    const current = await getGrantInMsp(tx, mspId, grant.id, { lock: true });
    if (denial) {
      const answer = denial.outcome.answer;
      const message = answer.verdict === "DENY" && answer.message ? `${denial.hook.name}: ${answer.message}` : `${denial.hook.name} refused the grant.`;
      await finishStep(tx, mspId, prepared.stepId, "failed", summary);
      if (current.state === "approved") await transitionGrant(tx, ctx, current, "denied", { ...patch, denialReason: message, decidedAt: now }, { result: "failure", reason: message, metadata: { hook: denial.hook.name, decision: "hook.denied" } });
      return "denied";
    }
    await finishStep(tx, mspId, prepared.stepId, "succeeded", summary);
    await tx.update(grants).set({ ...patch, authorizedAt: now, updatedAt: now }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId)));
    return "go";
  });
}
