import { withMspTx } from "@/db/tx";
import { newHookCall, type HookQuestion } from "@/lib/hooks/protocol";
import type { ServiceContext } from "@/lib/services/context";
import type { HookVerdict } from "@/lib/vocabulary/hooks";
import type { PolicyDecision } from "@/lib/services/grants/evaluate-policy";
import { auditHookCall, callHook } from "./call-hook";
import { requestFacts } from "./facts";
import { hooksOfPolicies } from "./of-policies";
import { transportFor } from "./transport-for";

export type DryRunVerdict = { hook: string; verdict: HookVerdict; message: string | null; questions: HookQuestion[]; failed: string | null };

/**
 * What the policy's authenticate hooks would say of a request, asked with `dry_run: true` (a hook looks and
 * changes nothing; the PSA check reads the ticket and writes nothing). No questions are put to anyone: a NEEDINFO
 * is reported with its questions. Each call is audited like any other.
 */
export async function dryRunAuthenticateHooks(
  ctx: ServiceContext,
  decision: Extract<PolicyDecision, { allowed: true }>,
  request: { accessLevelIds: string[]; durationMinutes: number; ticketRef: string | null; startAt: Date },
): Promise<DryRunVerdict[]> {
  const prepared = await withMspTx(ctx.mspId, async (tx) => {
    const hooks = (await hooksOfPolicies(tx, ctx.mspId, decision.demands.policies.map((p) => p.id))).filter((h) => h.events.includes("authenticate"));
    const facts = await requestFacts(tx, ctx.mspId, { ...decision, ...request, justification: "(policy evaluation)" });
    return { facts, calls: await Promise.all(hooks.map(async (hook) => ({ hook, transport: await transportFor(tx, hook, decision.customer.id) }))) };
  });
  const verdicts: DryRunVerdict[] = [];
  for (const { hook, transport } of prepared.calls) {
    const call = newHookCall({ type: "authenticate", hook, grant: prepared.facts, dryRun: true });
    const outcome = await callHook(hook, transport, call);
    await withMspTx(ctx.mspId, (tx) => auditHookCall(tx, ctx, { hook, call, outcome, target: { type: "customer", id: decision.customer.id, label: decision.customer.name } }));
    const { answer } = outcome;
    verdicts.push({
      hook: hook.name,
      verdict: answer.verdict,
      message: answer.verdict === "DENY" || answer.verdict === "NEEDINFO" ? (answer.message ?? null) : null,
      questions: answer.verdict === "NEEDINFO" ? answer.questions : [],
      failed: outcome.failed,
    });
  }
  return verdicts;
}
