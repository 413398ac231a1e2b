import { z } from "zod";
import { outboundUrl } from "@/lib/validation/outbound-url";
import { hookEvents, hookFailurePolicies } from "@/lib/vocabulary/hooks";

const name = z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters.");
const events = z
  .array(z.enum(hookEvents))
  .min(1, "Choose at least one moment.")
  .max(hookEvents.length)
  .refine((e) => new Set(e).size === e.length, "Each moment may appear once.");
const timeoutMs = z.number().int().min(500, "At least 500 ms.").max(15_000, "At most 15 s: a technician is waiting.");
const onFailure = z.enum(hookFailurePolicies);

export const psaTicketOptions = z.object({
  requireAssignee: z.boolean().default(false),
  notes: z.boolean().default(true),
  timeEntry: z.boolean().default(false),
  endOnTicketClose: z.boolean().default(false),
});

export const hookInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("webhook"), name, events, url: outboundUrl, timeoutMs: timeoutMs.default(5000), onFailure: onFailure.default("deny") }),
  z.object({
    kind: z.literal("psa_ticket"),
    name,
    events: events.default(["authenticate", "authorize", "session_ended"]),
    psaConnectionId: z.string().min(1).max(40),
    psaOptions: psaTicketOptions.default({ requireAssignee: false, notes: true, timeEntry: false, endOnTicketClose: false }),
    timeoutMs: timeoutMs.default(10_000),
    onFailure: onFailure.default("deny"),
  }),
]);
export type HookInput = z.input<typeof hookInput>;

export const hookChange = z.object({
  name: name.optional(),
  events: events.optional(),
  url: outboundUrl.optional(),
  psaOptions: psaTicketOptions.optional(),
  timeoutMs: timeoutMs.optional(),
  onFailure: onFailure.optional(),
  enabled: z.boolean().optional(),
  /** 1-based place among the policy's hooks; the others move to make room. */
  position: z.number().int().min(1).max(50).optional(),
});

/** The answers to a hook's questions, sent back with the request. */
export const hookAnswersInput = z.object({
  conversationId: z.string().min(1).max(40),
  answers: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/), z.string().max(500)).refine((a) => Object.keys(a).length <= 10, "At most 10 answers."),
});
