import { z } from "zod";

export const inYears = [(d: Date) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, "must be between the years 1 and 9999"] as const;
/**
 * A time to filter by: an ISO-8601 date or date-time with its offset, in years 1–9999. Free coercion took
 * "99999-01-01" or "1" as dates and handed Postgres times it cannot read (a 500); these it can.
 */
export const auditFilterTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z" })
  .transform((text) => new Date(text))
  .refine(...inYears);
