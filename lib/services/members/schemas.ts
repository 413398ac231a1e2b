import { z } from "zod";
import { knownTimeZone } from "@/lib/time-zones";
import { memberRoles } from "@/lib/vocabulary/member-roles";

export const emailInput = z.email("Enter a valid email address.").trim().toLowerCase().max(254);
export const displayNameInput = z.string().trim().min(1, "Enter a name.").max(100, "At most 100 characters.");
export const roleInput = z.enum(memberRoles);
export const changeRoleInput = z.object({ role: roleInput });

/** The zone a member sees times in: a known IANA zone, or null to follow the browser's. */
export const timeZoneSettingInput = z.object({
  timeZone: z
    .string()
    .max(64, "At most 64 characters.")
    .refine((zone) => knownTimeZone(zone) !== null, "Not a known time zone (IANA name, e.g. Europe/Berlin).")
    .nullable()
    .meta({ description: "IANA time zone, e.g. Europe/Berlin; null follows the browser's." }),
});
