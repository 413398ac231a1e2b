/**
 * What Stint notifies about. The names are the `type` of a webhook payload, so receivers can rely on them:
 * add new ones, never rename. Which audit action raises which event: lib/services/notifications/events.ts.
 */
export const notificationEvents = [
  "grant.approval_requested",
  "grant.emergency_requested",
  "grant.approved",
  "grant.denied",
  "grant.approval_expired",
  "grant.cancelled",
  "grant.active",
  "grant.ending_soon",
  "grant.ended",
  "grant.failed",
  "grant.irrevocable",
  "grant.kill_switch",
  "connection.unhealthy",
  "notification.endpoint_disabled",
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

/** The events that say a grant is over, for good: its hooks' session_ended call rides on the first. */
export const sessionEndingEvents: ReadonlySet<NotificationEvent> = new Set(["grant.ended", "grant.failed", "grant.denied", "grant.approval_expired", "grant.cancelled"]);

/** A message sent on request ("send test"); never subscribed to, never sent to members. */
export const testEvent = "notification.test";
export type OutboxEvent = NotificationEvent | typeof testEvent;

export const notificationEventLabels: Record<NotificationEvent, string> = {
  "grant.approval_requested": "Approval requested",
  "grant.emergency_requested": "Emergency access used",
  "grant.approved": "Request approved",
  "grant.denied": "Request denied",
  "grant.approval_expired": "Approval expired",
  "grant.cancelled": "Request cancelled",
  "grant.active": "Access active",
  "grant.ending_soon": "Access ending soon",
  "grant.ended": "Access ended",
  "grant.failed": "Access failed",
  "grant.irrevocable": "Access could not be removed",
  "grant.kill_switch": "Kill switch used",
  "connection.unhealthy": "Connection unhealthy",
  "notification.endpoint_disabled": "Notification endpoint disabled",
};

/** Where an endpoint sends: an e-mail address list, a Teams or Slack incoming webhook, or a signed webhook. */
export const endpointKinds = ["email", "teams", "slack", "webhook"] as const;
export type EndpointKind = (typeof endpointKinds)[number];

export const endpointKindLabels: Record<EndpointKind, string> = {
  email: "E-mail",
  teams: "Microsoft Teams",
  slack: "Slack",
  webhook: "Signed webhook",
};

/** A delivery's life: waiting (first try or retry), delivered (acknowledged), or given up after its retries. */
export const deliveryStates = ["pending", "delivered", "failed"] as const;
export type DeliveryState = (typeof deliveryStates)[number];
