import { notificationEventLabels, testEvent, type OutboxEvent } from "@/lib/vocabulary/notification-events";
import type { NotificationPayload } from "@/lib/vocabulary/notification-payload";
import { formatMoment } from "@/lib/time/format-moment";

/** A channel-neutral message: every channel (e-mail, Teams, Slack) renders this. */
export type Message = {
  title: string;
  summary: string;
  /** Label and value pairs, in order. */
  facts: [string, string][];
  action: { label: string; url: string };
  /** Alerts someone must act on are shown as such. */
  urgent: boolean;
};

const urgentEvents: ReadonlySet<OutboxEvent> = new Set([
  "grant.irrevocable",
  "grant.emergency_requested",
  "grant.kill_switch",
  "connection.unhealthy",
  "notification.endpoint_disabled",
  "grant.failed",
]);

/** A moment as the console writes it, in the reader's zone (UTC where a channel has many readers). */
function whenIn(timeZone: string) {
  return (iso: string | null) => (iso ? formatMoment(iso, timeZone, "minute") : "—");
}

function summaryOf(p: NotificationPayload, when: (iso: string | null) => string): string {
  const g = p.data.grant;
  const who = g?.member.name ?? "A technician";
  const where = g?.customer.name ?? p.data.customer?.name ?? "a customer";
  switch (p.type) {
    case "grant.approval_requested":
      return `${who} asks for access to ${where} and needs your approval.`;
    case "grant.emergency_requested":
      return `${who} used emergency access to ${where}, without approval. Review it.`;
    case "grant.approved":
      return `Your request for ${where} was approved by ${p.data.actor}.`;
    case "grant.denied":
      return `Your request for ${where} was denied by ${p.data.actor}.`;
    case "grant.approval_expired":
      return `Your request for ${where} was not approved in time and has expired.`;
    case "grant.cancelled":
      return `The request of ${who} for ${where} was cancelled.`;
    case "grant.active":
      return `Access of ${who} to ${where} is active.`;
    case "grant.ending_soon":
      return `Access of ${who} to ${where} ends at ${when(g?.endsAt ?? null)}.`;
    case "grant.ended":
      return `Access of ${who} to ${where} has ended and the account was taken away.`;
    case "grant.failed":
      return `Access of ${who} to ${where} could not be set up.`;
    case "grant.irrevocable":
      return `Access of ${who} to ${where} could not be removed. The account may still be usable: act now.`;
    case "grant.kill_switch":
      return `${p.data.actor} used the kill switch for ${where}.`;
    case "connection.unhealthy":
      return `The Entra connection of ${where} is unhealthy: new access cannot be granted and ending access may fail.`;
    case "notification.endpoint_disabled":
      return `A notification endpoint kept failing and was turned off.`;
    case testEvent:
      return "This is a test message from Stint. If you read it, this endpoint works.";
  }
}

const actionLabels: Partial<Record<OutboxEvent, string>> = {
  "grant.approval_requested": "Review the request",
  "grant.emergency_requested": "Review the emergency access",
  "grant.irrevocable": "Open the grant",
  "notification.endpoint_disabled": "Open notification settings",
  "connection.unhealthy": "Open the customer",
};

/** The message for an event, from its frozen payload alone; its times in `timeZone`. */
export function messageFor(p: NotificationPayload, timeZone = "UTC"): Message {
  const when = whenIn(timeZone);
  const g = p.data.grant;
  const facts: [string, string][] = [];
  if (g) {
    facts.push(["Technician", `${g.member.name} <${g.member.email}>`], ["Customer", g.customer.name]);
    if (g.accessLevels.length) facts.push(["Access", g.accessLevels.join(", ")]);
    facts.push(["Duration", `${g.durationMinutes} min`]);
    if (g.endsAt) facts.push(["Ends", when(g.endsAt)]);
    if (g.justification) facts.push(["Justification", g.justification]);
    if (g.ticketRef) facts.push(["Ticket", g.ticketRef]);
  } else if (p.data.customer) {
    facts.push(["Customer", p.data.customer.name]);
  }
  if (p.data.reason) facts.push(["Reason", p.data.reason]);
  for (const [k, v] of Object.entries(p.data.details)) facts.push([k, String(v)]);
  facts.push(["When", when(p.timestamp)]);
  const title = p.type === testEvent ? "Stint test message" : notificationEventLabels[p.type];
  return {
    title,
    summary: summaryOf(p, when),
    facts,
    action: { label: actionLabels[p.type] ?? "Open in Stint", url: p.data.url },
    urgent: urgentEvents.has(p.type),
  };
}
