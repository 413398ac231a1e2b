import { z } from "zod";

export const killSwitchOutput = z.object({ ended: z.number().int().meta({ description: "How many live grants were set to end." }) });
