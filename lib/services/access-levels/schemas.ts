import { z } from "zod";

export const accessLevelInput = z.object({
  name: z.string().trim().min(2, "At least 2 characters.").max(60, "At most 60 characters."),
  description: z.string().trim().max(500, "At most 500 characters.").default(""),
  roleTemplateIds: z
    .array(z.guid("Role ids are Entra role template ids (GUIDs)."))
    .min(1, "Choose at least one directory role.")
    .max(20, "At most 20 roles per access level.")
    .refine((ids) => new Set(ids).size === ids.length, "Each role may appear once."),
  /** Access policies may ask for approval of privileged levels only. */
  privileged: z.boolean().default(false),
});
export type AccessLevelInput = z.input<typeof accessLevelInput>;

export const enableInput = z.object({ enabled: z.boolean() });
