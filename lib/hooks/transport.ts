import type { HookAnswer, HookCall } from "./protocol";

/**
 * What came of one call: the hook's answer, or why there was none (never a URL or secret), with any
 * Retry-After it asked for. session_ended is acknowledged, not answered.
 */
export type HookResult =
  | { ok: true; answer: HookAnswer }
  | { ok: false; error: string; retryAfterMs: number | null };

/** How Stint reaches one hook: a signed webhook, or a plugin that runs in process. Both answer the same protocol. */
export interface HookTransport {
  call(call: HookCall, timeoutMs: number): Promise<HookResult>;
}
