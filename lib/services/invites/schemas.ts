import { z } from "zod";
import { displayNameInput, emailInput, roleInput } from "@/lib/services/members/schemas";

export const createInviteInput = z.object({ email: emailInput, displayName: displayNameInput, role: roleInput });
export type CreateInviteInput = z.input<typeof createInviteInput>;
