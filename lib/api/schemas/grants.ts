import { z } from "zod";

export const killSwitchOutput = z.object({ ended: z.number().int().meta({ description: "How many live grants were set to end." }) });

export const killSwitchPreviewOutput = z.object({
  total: z.number().int().meta({ description: "How many live grants the kill switch would end now." }),
  customers: z.array(z.object({ id: z.string(), name: z.string(), grants: z.number().int() })).meta({ description: "Those grants per customer, by name." }),
});
