import { parseRetryAfter } from "@/lib/notifications/retry-schedule";
import { signedHeaders } from "@/lib/notifications/signature";
import { hookAnswer } from "./protocol";
import type { HookTransport } from "./transport";

const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

function networkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === "TimeoutError") return `No answer within ${timeoutMs} ms.`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return clip(cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
}

/**
 * A hook behind an HTTPS endpoint: each call is a POST of its JSON, signed the Standard Webhooks way (the
 * call's id as `webhook-id`, so a receiver can drop a repeated session_ended), answered with the hook's verdict
 * as JSON. A session_ended call is acknowledged by any 2xx. Redirects are not followed: the address is the one
 * an admin entered.
 */
export function webhookTransport(url: string, secret: string): HookTransport {
  return {
    async call(call, timeoutMs) {
      const body = JSON.stringify(call);
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "Stint-Hooks", ...signedHeaders(call.call_id, body, [secret], new Date()) },
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        return { ok: false, error: networkError(err, timeoutMs), retryAfterMs: null };
      }
      const text = await res.text().catch(() => "");
      if (res.status < 200 || res.status >= 300) {
        return { ok: false, error: clip(`HTTP ${res.status}${text ? `: ${text}` : ""}`), retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
      }
      if (call.type === "session_ended") return { ok: true, answer: { verdict: "ACCEPT" } };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { ok: false, error: "The answer is not JSON.", retryAfterMs: null };
      }
      const parsed = hookAnswer.safeParse(json);
      if (!parsed.success) return { ok: false, error: clip(`The answer is not a verdict: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`), retryAfterMs: null };
      return { ok: true, answer: parsed.data };
    },
  };
}
