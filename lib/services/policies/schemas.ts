import { z } from "zod";
import { approvalModes } from "@/lib/vocabulary/approval-modes";
import { memberRoles } from "@/lib/vocabulary/member-roles";

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "A time of day as HH:MM (24 h).");
const ids = z.array(z.string().min(1).max(40)).max(100).default([]);

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const accessPolicyInput = z
  .object({
    name: z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
    /** Both empty: the MSP's default policy. */
    customerId: z.string().min(1).max(40).nullish().transform((v) => v ?? null),
    accessLevelId: z.string().min(1).max(40).nullish().transform((v) => v ?? null),
    approval: z.enum(approvalModes).default("never"),
    approvalsRequired: z.number().int().min(1, "1 or 2 approvals.").max(2, "1 or 2 approvals.").default(1),
    approverRoles: z.array(z.enum(["owner", "admin", "technician"] as const satisfies readonly (typeof memberRoles)[number][])).max(3).default(["owner", "admin"]),
    approverTeamIds: ids,
    approverMemberIds: ids,
    approvalExpiryMinutes: z.number().int().min(15, "At least 15 minutes.").max(10_080, "At most 7 days.").default(1440),
    emergencyAllowed: z.boolean().default(true),
    ticketRequired: z.boolean().default(false),
    ticketPattern: z
      .string()
      .trim()
      .max(200, "At most 200 characters.")
      .nullish()
      .transform((v) => v || null)
      .refine((v) => v === null || isRegExp(v), "Not a valid regular expression."),
    justificationMinLength: z.number().int().min(10, "At least 10 characters.").max(1000, "At most 1000.").default(10),
    stepUpAtRequest: z.boolean().default(false),
    hoursDays: z
      .array(z.number().int().min(1).max(7))
      .max(7)
      .refine((d) => new Set(d).size === d.length, "Each day may appear once.")
      .default([1, 2, 3, 4, 5]),
    hoursFrom: timeOfDay.default("08:00"),
    hoursTo: timeOfDay.default("18:00"),
    restrictToHours: z.boolean().default(false),
    maxDurationMinutes: z.number().int().min(15, "At least 15 minutes.").max(10_080, "At most 7 days.").nullish().transform((v) => v ?? null),
    consentText: z.string().trim().max(4000, "At most 4000 characters.").nullish().transform((v) => v || null),
  })
  .refine((p) => p.approval === "never" || p.approverRoles.length + p.approverTeamIds.length + p.approverMemberIds.length > 0, {
    message: "Say who may approve: a role, a team or a member.",
    path: ["approverRoles"],
  })
  .refine((p) => p.hoursFrom !== p.hoursTo, { message: "The hours must not start and end at the same time.", path: ["hoursTo"] });
export type AccessPolicyInput = z.input<typeof accessPolicyInput>;
