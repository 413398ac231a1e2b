import { z } from "zod";
import { displayNameInput, emailInput } from "@/lib/services/members/schemas";

export const setupInput = z.object({
  setupCode: z.string().trim().min(1, "Enter the setup code.").max(100, "At most 100 characters."),
  mspName: z.string().trim().min(2, "At least 2 characters.").max(100, "At most 100 characters."),
  ownerName: displayNameInput,
  ownerEmail: emailInput,
});
export type SetupInput = z.input<typeof setupInput>;
