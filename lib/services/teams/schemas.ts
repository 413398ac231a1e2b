import { z } from "zod";

export const teamInput = z.object({ name: z.string().trim().min(2, "At least 2 characters.").max(60, "At most 60 characters.") });
export type TeamInput = z.input<typeof teamInput>;

export const membershipInput = z.object({ memberId: z.string().min(1).max(40), inTeam: z.boolean() });
