import { z } from "zod";

/**
 * A whole number within `bounds`, sent as a JSON number or as decimal digits (what a form's text field holds).
 * Coercion would also take "0x10", "1e1", " 8 " or "" (as 0) and guess what the caller meant. Documented as
 * the integer it is.
 */
export function wholeNumber(error: string, bounds: z.ZodNumber) {
  return z
    .union([z.number(), z.string().regex(/^[0-9]{1,9}$/).transform(Number)], { error })
    .pipe(bounds)
    .meta({
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, { type: "integer" }, bounds.minValue !== null ? { minimum: bounds.minValue } : {}, bounds.maxValue !== null && bounds.maxValue < Number.MAX_SAFE_INTEGER ? { maximum: bounds.maxValue } : {});
      },
    });
}
