import { z } from "zod";
import { memberRoles } from "@/lib/vocabulary/member-roles";

export const emailInput = z.email("Enter a valid email address.").trim().toLowerCase().max(254);
export const displayNameInput = z.string().trim().min(1, "Enter a name.").max(100, "At most 100 characters.");
export const roleInput = z.enum(memberRoles);
export const changeRoleInput = z.object({ role: roleInput });
