import { z } from "zod";

export const passkeyNameInput = z.object({ name: z.string().trim().min(1, "Enter a name.").max(60, "At most 60 characters.") });
export type PasskeyNameInput = z.input<typeof passkeyNameInput>;
