import type { FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";

/**
 * A react-hook-form resolver that checks the values with a zod schema fetched at the first check: zod and
 * the schemas would otherwise add some 35 kB (gzip) to the first load of every page with a form, which
 * validates nothing until someone submits or edits it.
 */
export function lazyZodResolver<Input extends FieldValues, Context, Output>(load: () => Promise<z.ZodType<Output, Input>>): Resolver<Input, Context, Output> {
  let resolver: Promise<Resolver<Input, Context, Output>> | undefined;
  return async (values, context, options) => {
    // A fetch that failed (the network) is tried again at the next check.
    resolver ??= Promise.all([import("./zod-resolver"), load()]).then(
      ([{ zodResolver }, schema]) => zodResolver(schema),
      (error: unknown) => {
        resolver = undefined;
        throw error;
      },
    );
    return (await resolver)(values, context, options);
  };
}
