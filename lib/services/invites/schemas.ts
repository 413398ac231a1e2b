import { z } from "zod";
import { displayNameInput, emailInput, roleInput } from "@/lib/services/members/schemas";

export const createInviteInput = z.object({ email: emailInput, displayName: displayNameInput, role: roleInput });
export type CreateInviteInput = z.input<typeof createInviteInput>;

/** The link's secret, sent in a request body (never in a path, where it would reach logs). */
export const inviteTokenInput = z.object({ token: z.string().min(1, "The link has no secret.").max(100, "Not an invite link.") });
export const acceptInviteInput = inviteTokenInput.extend({ credential: z.unknown() });
