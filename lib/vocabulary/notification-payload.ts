import type { OutboxEvent } from "./notification-events";

/** The grant an event is about, as it stood when the event happened. */
export type GrantSnapshot = {
  id: string;
  state: string;
  upn: string;
  member: { id: string; name: string; email: string };
  customer: { id: string; name: string };
  accessLevels: string[];
  durationMinutes: number;
  justification: string;
  ticketRef: string | null;
  startAt: string;
  endsAt: string | null;
};

/**
 * What every channel renders, and the JSON body of a signed webhook (the Standard Webhooks shape: type,
 * timestamp, data). Frozen in the outbox when the event happens: retries send exactly the same.
 */
export type NotificationPayload = {
  type: OutboxEvent;
  timestamp: string;
  data: {
    /** Who or what caused it ("Ada Admin", "job grant.expire"). */
    actor: string;
    reason: string | null;
    grant: GrantSnapshot | null;
    customer: { id: string; name: string } | null;
    /** Where to look in the console; approving happens there, behind a passkey. */
    url: string;
    /** Event-specific facts, e.g. how many grants a kill switch ended. */
    details: Record<string, string | number>;
  };
};
