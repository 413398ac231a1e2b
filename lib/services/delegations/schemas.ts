import { z } from "zod";
import { wholeNumber } from "@/lib/validation/whole-number";

export const delegationInput = z
  .object({
    memberId: z.string().min(1).max(40).nullable().default(null),
    teamId: z.string().min(1).max(40).nullable().default(null),
    /** null: every customer of the MSP, now and later. */
    customerId: z.string().min(1).max(40).nullable(),
    accessLevelIds: z
      .array(z.string().min(1).max(40))
      .min(1, "Choose at least one access level.")
      .max(50)
      .refine((ids) => new Set(ids).size === ids.length, "Each access level may appear once."),
    maxDurationMinutes: wholeNumber(
      "maxDurationMinutes must be a number of minutes.",
      z.number().int().min(15, "maxDurationMinutes must be at least 15 minutes.").max(10080, "maxDurationMinutes must be at most 7 days (10080 minutes)."),
    ),
  })
  .refine((d) => (d.memberId === null) !== (d.teamId === null), { message: "Delegate to exactly one member or one team.", path: ["memberId"] });
export type DelegationInput = z.input<typeof delegationInput>;
