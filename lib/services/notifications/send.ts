import type { NotificationEndpoint, NotificationSettings } from "@/db/schema";
import { env } from "@/lib/env";
import { renderEmail } from "@/lib/notifications/email";
import { messageFor } from "@/lib/notifications/message";
import type { NotificationPayload } from "@/lib/vocabulary/notification-payload";
import { parseRetryAfter } from "@/lib/notifications/retry-schedule";
import { signedHeaders } from "@/lib/notifications/signature";
import { renderSlack } from "@/lib/notifications/slack";
import { renderTeams } from "@/lib/notifications/teams";
import { openEndpointUrl, openSigningSecret } from "./secrets";
import { smtpTransport } from "./smtp";

/** What one attempt came to: acknowledged, or why not (never a URL or secret), and any Retry-After the receiver asked for. */
export type SendResult = { ok: true; status: number | null } | { ok: false; status: number | null; error: string; retryAfterMs: number | null };

export type Recipient = { endpoint: NotificationEndpoint } | { member: { id: string; email: string; name: string; timeZone: string | null } };

/** Receivers' error text is kept short in the delivery log. */
const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);

/** A network failure's cause, without the URL (an incoming-webhook URL is its own credential). */
function networkError(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `No answer within ${env.NOTIFY_SEND_TIMEOUT_SECONDS} s`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  return clip(cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Stint-Notifications", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(env.NOTIFY_SEND_TIMEOUT_SECONDS * 1000),
    });
  } catch (err) {
    return { ok: false, status: null, error: networkError(err), retryAfterMs: null };
  }
  const text = await res.text().catch(() => "");
  if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
  return { ok: false, status: res.status, error: clip(`HTTP ${res.status}${text ? `: ${text}` : ""}`), retryAfterMs: parseRetryAfter(res.headers.get("retry-after")) };
}

async function mail(settings: NotificationSettings | null, to: string[], messageId: string, payload: NotificationPayload, timeZone?: string): Promise<SendResult> {
  const { subject, text, html } = renderEmail(messageFor(payload, timeZone));
  try {
    const { transport, from } = smtpTransport(settings);
    try {
      await transport.sendMail({ from, to, subject, text, html, messageId: `<${messageId}@stint>`, headers: { "X-Stint-Event": payload.type } });
    } finally {
      transport.close();
    }
    return { ok: true, status: null };
  } catch (err) {
    const smtp = err as { responseCode?: number; message?: string };
    return { ok: false, status: smtp.responseCode ?? null, error: clip(smtp.message ?? String(err)), retryAfterMs: null };
  }
}

/**
 * One attempt to hand a message to one recipient. `messageId` is the event's id for webhooks (`webhook-id`)
 * and the delivery's for e-mail (Message-ID): the same on every retry.
 */
export async function sendNotification(args: {
  recipient: Recipient;
  payload: NotificationPayload;
  eventId: string;
  deliveryId: string;
  settings: NotificationSettings | null;
  now: Date;
}): Promise<SendResult> {
  const { recipient, payload } = args;
  // A member reads times in the zone they chose in the console; a shared address or channel in UTC.
  if ("member" in recipient) return mail(args.settings, [recipient.member.email], args.deliveryId, payload, recipient.member.timeZone ?? undefined);
  const endpoint = recipient.endpoint;
  switch (endpoint.kind) {
    case "email":
      return mail(args.settings, endpoint.emailTo ?? [], args.deliveryId, payload);
    case "slack":
      return post(openEndpointUrl(endpoint.id, endpoint.urlEnvelope!), JSON.stringify(renderSlack(messageFor(payload))), {});
    case "teams":
      return post(openEndpointUrl(endpoint.id, endpoint.urlEnvelope!), JSON.stringify(renderTeams(messageFor(payload))), {});
    case "webhook": {
      const body = JSON.stringify(payload);
      const secrets = [openSigningSecret(endpoint.id, endpoint.secretEnvelope!)];
      if (endpoint.previousSecretEnvelope && endpoint.previousSecretUntil && endpoint.previousSecretUntil > args.now) {
        secrets.push(openSigningSecret(endpoint.id, endpoint.previousSecretEnvelope));
      }
      return post(openEndpointUrl(endpoint.id, endpoint.urlEnvelope!), body, signedHeaders(args.eventId, body, secrets, new Date()));
    }
  }
}
