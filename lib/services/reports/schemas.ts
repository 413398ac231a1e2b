import { z } from "zod";
import { MONTH_PATTERN } from "@/lib/reports/zoned-month";

export const monthlyStatementInput = z.object({
  month: z
    .string()
    .max(7, "month must be YYYY-MM.")
    .regex(MONTH_PATTERN, "month must be YYYY-MM.")
    .optional()
    .meta({ description: "The calendar month in the customer's time zone, YYYY-MM (default: the current one)." }),
});
