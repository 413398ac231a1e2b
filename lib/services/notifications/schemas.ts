import { z } from "zod";
import { outboundUrl } from "@/lib/validation/outbound-url";
import { notificationEvents } from "@/lib/vocabulary/notification-events";


const name = z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters.");
const events = z.array(z.enum(notificationEvents)).min(1, "Choose at least one event.").max(notificationEvents.length);
const customerIds = z.array(z.string().min(1).max(40)).max(500).nullable();
const emailTo = z.array(z.email({ message: "Enter valid e-mail addresses." }).max(254)).min(1, "Enter at least one address.").max(20);

export const endpointInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("email"), name, events, customerIds: customerIds.default(null), emailTo }),
  z.object({ kind: z.enum(["teams", "slack", "webhook"]), name, events, customerIds: customerIds.default(null), url: outboundUrl }),
]);
export type EndpointInput = z.input<typeof endpointInput>;

export const endpointChange = z.object({
  name: name.optional(),
  events: events.optional(),
  customerIds: customerIds.optional(),
  enabled: z.boolean().optional(),
  /** Replaces the URL (Teams, Slack, webhook). */
  url: outboundUrl.optional(),
  emailTo: emailTo.optional(),
});

export const rotateSecretInput = z.object({
  /** How long the old secret keeps signing too, so receivers can switch without missing a message. */
  graceHours: z.number().int().min(0).max(168).default(24),
});

export const settingsInput = z.object({
  smtpHost: z.string().trim().max(253).regex(/^[A-Za-z0-9.-]*$/, "Enter a host name.").nullable(),
  smtpPort: z.number().int().min(1).max(65535).nullable(),
  smtpSecure: z.boolean(),
  smtpUser: z.string().trim().max(254).nullable(),
  /** Absent: keep the stored password; null: remove it. */
  smtpPassword: z.string().max(500).nullable().optional(),
  smtpFrom: z.string().trim().max(254).nullable(),
  reminderMinutes: z.number().int().min(1).max(24 * 60),
  irrevocableRepeatMinutes: z.number().int().min(5).max(24 * 60),
});

export const preferencesInput = z.object({ mutedEvents: z.array(z.enum(notificationEvents)).max(notificationEvents.length) });
