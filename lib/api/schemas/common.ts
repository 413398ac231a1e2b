import { z } from "zod";

/** A path id (customerId, grantId, …): opaque, at most 40 characters; unknown ids are 404 in the service. */
export const pathId = (description: string) => z.string().min(1).max(40).meta({ description });

/** The path of one resource, by the name of its id segment. */
export const paramsOf = <K extends string>(name: K, description: string) => z.object({ [name]: pathId(description) } as Record<K, ReturnType<typeof pathId>>);

/** What a create answers in the console: enough to link to the new thing. */
export const createdOutput = z.object({ id: z.string(), name: z.string() });
