/**
 * Calendar months as a customer's wall clock has them: a statement covers "November in Europe/Berlin", which
 * starts and ends at local midnight, so its length in hours changes with daylight saving time.
 */

/** YYYY-MM, months 01 to 12. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export type ZonedMonth = { month: string; timeZone: string; from: Date; to: Date };

const DAY_MS = 86_400_000;

function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(at);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute"), second: n("second") };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The first instant of the 1st of a month in the zone. Midnight may be skipped (the clock jumps to 01:00)
 * or happen twice: of the instants the offsets around it give, the earliest that reads midnight or later.
 */
function startOfMonth(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  const candidates = [offsetAt(new Date(wall - DAY_MS), timeZone), offsetAt(new Date(wall + DAY_MS), timeZone)]
    .map((offset) => wall - offset)
    .filter((t) => t + offsetAt(new Date(t), timeZone) >= wall);
  return new Date(Math.min(...candidates));
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

/** "2026-11-03 14:05" on the zone's wall clock. */
export function formatInZone(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/** "November 2026". */
export function monthTitle(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, m - 1, 1)));
}
