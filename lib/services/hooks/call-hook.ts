import type { Tx } from "@/db/client";
import type { AccessHook } from "@/db/schema";
import type { HookAnswer, HookCall } from "@/lib/hooks/protocol";
import type { HookTransport } from "@/lib/hooks/transport";
import { recordAudit } from "@/lib/services/audit/record";
import type { ServiceContext } from "@/lib/services/context";

/** A hook's say after its failure policy: what it answered, or what its silence counts as. */
export type HookOutcome = { answer: HookAnswer; failed: string | null; latencyMs: number };

const timeoutMessage = (ms: number) => `No answer within ${ms} ms.`;

/** One call, bounded: a hook that has not answered by its timeout has failed. */
export async function callWithin(transport: HookTransport, call: HookCall, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; error: string; retryAfterMs: null }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: timeoutMessage(timeoutMs), retryAfterMs: null }), timeoutMs);
  });
  try {
    return await Promise.race([transport.call(call, timeoutMs), timeout]);
  } catch (err) {
    return { ok: false as const, error: err instanceof Error ? err.message : String(err), retryAfterMs: null };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls one hook for authenticate or authorize, bounded by its timeout. A hook that does not answer, answers
 * nonsense, or asks questions where nobody can answer them (authorize) counts as its failure policy says:
 * DENY, or NONE (no opinion). NONE from authorize means yes.
 */
export async function callHook(hook: Pick<AccessHook, "name" | "timeoutMs" | "onFailure">, transport: HookTransport, call: HookCall): Promise<HookOutcome> {
  const started = performance.now();
  const result = await callWithin(transport, call, hook.timeoutMs);
  const latencyMs = Math.round(performance.now() - started);
  let failed = result.ok ? null : result.error;
  if (result.ok && call.type === "authorize" && result.answer.verdict === "NEEDINFO") failed = "It asked questions before the account was made, where nobody can answer.";
  if (!failed && result.ok) return { answer: result.answer, failed: null, latencyMs };
  const answer: HookAnswer = hook.onFailure === "deny" ? { verdict: "DENY", message: `${hook.name} did not answer: ${failed}` } : { verdict: "NONE" };
  return { answer, failed, latencyMs };
}

/**
 * Every call is audited with its verdict and latency, never the answers: only the keys of the questions asked
 * and of the answers given are kept, so a hidden answer (a one-time code) cannot reach the log.
 */
export async function auditHookCall(
  tx: Tx,
  ctx: ServiceContext,
  args: { hook: Pick<AccessHook, "id" | "name">; call: HookCall; outcome: HookOutcome; target: { type: string; id: string; label?: string }; round?: number },
): Promise<void> {
  const { answer, failed, latencyMs } = args.outcome;
  await recordAudit(tx, ctx, {
    action: `hook.${args.call.type}`,
    result: answer.verdict === "DENY" ? "failure" : "success",
    reason: answer.verdict === "DENY" || answer.verdict === "NEEDINFO" ? (answer.message ?? null) : null,
    target: args.target,
    metadata: {
      hookId: args.hook.id,
      hook: args.hook.name,
      verdict: answer.verdict,
      latencyMs,
      dryRun: args.call.dry_run,
      ...(failed ? { failed } : {}),
      ...(args.round ? { round: args.round } : {}),
      ...(answer.additional_metadata ? { additionalMetadata: answer.additional_metadata } : {}),
      ...(answer.verdict === "NEEDINFO" ? { asked: answer.questions.map((q) => q.key) } : {}),
      answered: Object.keys(args.call.key_value_pairs),
    },
  });
}
