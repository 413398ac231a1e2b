import { momentOfWallTime, wallClock } from "@/lib/time/wall-clock";

/**
 * Calendar months as a customer's wall clock has them: a statement covers "November in Europe/Berlin", which
 * starts and ends at local midnight, so its length in hours changes with daylight saving time.
 */

/** YYYY-MM, months 01 to 12. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export type ZonedMonth = { month: string; timeZone: string; from: Date; to: Date };

/** The first instant of the 1st of a month in the zone (01:00 where the clock skips midnight). */
function startOfMonth(year: number, month: number, timeZone: string): Date {
  return momentOfWallTime(Date.UTC(year, month - 1, 1), timeZone);
}

/** The month `delta` months from `month` (YYYY-MM). */
export function shiftMonth(month: string, delta: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month (YYYY-MM) that `at` falls in on the zone's wall clock. */
export function monthAt(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}`;
}

/** A month (YYYY-MM) in a zone as the instants it runs between: [from, to). */
export function zonedMonth(month: string, timeZone: string): ZonedMonth {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const [nextYear, nextMonth] = shiftMonth(month, 1).split("-").map(Number) as [number, number];
  return { month, timeZone, from: startOfMonth(year, m, timeZone), to: startOfMonth(nextYear, nextMonth, timeZone) };
}

/** The part of [start, end) inside the month, with its length in whole minutes; null when they miss it. */
export function clipToMonth(span: { start: Date; end: Date }, month: Pick<ZonedMonth, "from" | "to">): { from: Date; to: Date; minutes: number } | null {
  const from = Math.max(span.start.getTime(), month.from.getTime());
  const to = Math.min(span.end.getTime(), month.to.getTime());
  return to > from ? { from: new Date(from), to: new Date(to), minutes: Math.round((to - from) / 60_000) } : null;
}

/** "November 2026". */
export function monthTitle(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, m - 1, 1)));
}
