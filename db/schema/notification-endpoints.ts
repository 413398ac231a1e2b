import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { endpointKinds, type NotificationEvent } from "@/lib/vocabulary/notification-events";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { msps } from "./msps";

/**
 * Where an MSP's notifications go besides members' own e-mail: a list of addresses, a Teams or Slack incoming
 * webhook, or a signed webhook; subscribed to events, optionally only for some customers. Incoming-webhook URLs
 * carry their own credential, so they are sealed like the signing secrets (context "notification-endpoint:<id>:…").
 */
export const notificationEndpoints = pgTable(
  "notification_endpoints",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    kind: text("kind", { enum: endpointKinds }).notNull(),
    name: text("name").notNull(),
    /** E-mail endpoints: the addresses. */
    emailTo: text("email_to").array(),
    /** Teams, Slack and webhook endpoints: the URL, sealed, and its host for display. */
    urlEnvelope: text("url_envelope"),
    urlHost: text("url_host"),
    /** Signed webhooks: the current `whsec_` secret, and the one it replaced while its grace period lasts. */
    secretEnvelope: text("secret_envelope"),
    previousSecretEnvelope: text("previous_secret_envelope"),
    previousSecretUntil: tstz("previous_secret_until"),
    events: text("events").array().$type<NotificationEvent[]>().notNull(),
    /** null: every customer; otherwise events about these customers only (events about no customer still pass). */
    customerIds: text("customer_ids").array().$type<string[]>(),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    /** The first failure of the current run of failures; null while deliveries succeed. */
    failingSince: tstz("failing_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("notification_endpoints_msp_idx").on(t.mspId), mspIsolation("notification_endpoints", t.mspId)],
);

export type NotificationEndpoint = typeof notificationEndpoints.$inferSelect;
