import { z } from "zod";

/** What creating a delegation answers. */
export const delegationCreatedOutput = z.object({ id: z.string() });
