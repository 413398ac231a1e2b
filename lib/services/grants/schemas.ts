import { z } from "zod";
import { hookAnswersInput } from "@/lib/services/hooks/schemas";
import { wholeNumber } from "@/lib/validation/whole-number";

export const requestGrantInput = z.object({
  customerId: z.string().min(1, "Choose a customer.").max(40),
  accessLevelIds: z
    .array(z.string().min(1).max(40))
    .min(1, "Choose at least one access level.")
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, "Each access level may appear once."),
  durationMinutes: wholeNumber(
    "durationMinutes must be a number of minutes.",
    z.number().int("durationMinutes must be whole minutes.").min(15, "durationMinutes must be at least 15 minutes."),
  ),
  justification: z.string().trim().min(10, "Explain why in at least 10 characters.").max(1000, "At most 1000 characters."),
  ticketRef: z.string().trim().max(100, "At most 100 characters.").optional().transform((v) => v || null),
  /** Later than now schedules the start; the timer starts when the account is usable. */
  startAt: z.coerce.date({ error: "startAt must be a date and time." }).optional(),
  consentAccepted: z.boolean().default(false),
  /** Break glass: skip the approval a policy asks for; approvers are alerted and review it afterwards. */
  emergency: z.boolean().default(false),
  /** The answers to the questions a hook asked (422 needs_info), with the conversation it gave. */
  hookReply: hookAnswersInput.optional(),
});
export type RequestGrantInput = z.input<typeof requestGrantInput>;
export type GrantRequestForm = z.output<typeof requestGrantInput>;

export const extendGrantInput = z.object({
  minutes: wholeNumber("minutes must be a number.", z.number().int().min(5, "Extend by at least 5 minutes.").max(10080)),
});

export const revokeGrantInput = z.object({
  /** Shown to the technician on their grant, and kept in the audit log and the grant's timeline. */
  reason: z.string().trim().min(5, "Say why in at least 5 characters.").max(500, "At most 500 characters."),
});

export const killSwitchInput = z.object({
  /** One customer, or the whole MSP when absent. */
  customerId: z.string().min(1).max(40).optional(),
  reason: z.string().trim().min(5, "Say why in at least 5 characters.").max(500),
});
