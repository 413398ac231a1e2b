import { z } from "zod";
import { wholeNumber } from "@/lib/validation/whole-number";

export const approveGrantInput = z.object({
  /** Shorter than requested, if the approver wants; never longer. */
  durationMinutes: wholeNumber("durationMinutes must be a number of minutes.", z.number().int().min(15, "At least 15 minutes.")).optional(),
});

export const denyGrantInput = z.object({
  reason: z.string().trim().min(5, "Say why in at least 5 characters.").max(500, "At most 500 characters."),
});

export const reviewGrantInput = z.object({
  note: z.string().trim().max(500, "At most 500 characters.").optional().transform((v) => v || null),
});
