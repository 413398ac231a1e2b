import { momentOfWallTime, wallClock } from "./wall-clock";

/**
 * What a date or date-time input holds, read in a zone: inputs carry no zone, so the console names the
 * viewer's beside them and converts here, in the same zone its times are shown in.
 */

const DATE_TIME_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_INPUT = /^(\d{4})-(\d{2})-(\d{2})$/;

function wallOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | null {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(wall);
  // Date.UTC rolls 31 Feb over into March; a reading that does not exist on any calendar is no reading.
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return real && year >= 1 ? wall : null;
}

/** A `datetime-local` value ("2026-12-05T09:30", seconds optional) as the moment it names in the zone; null if it is not one. */
export function momentFromDateTimeInput(value: string, timeZone: string): Date | null {
  const m = DATE_TIME_INPUT.exec(value);
  if (!m) return null;
  const wall = wallOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return wall === null ? null : momentOfWallTime(wall, timeZone);
}

/** A `date` value ("2026-12-05") as the moment that day starts in the zone; null if it is not one. */
export function startOfDateInput(value: string, timeZone: string): Date | null {
  const m = DATE_INPUT.exec(value);
  if (!m) return null;
  const wall = wallOf(Number(m[1]), Number(m[2]), Number(m[3]));
  return wall === null ? null : momentOfWallTime(wall, timeZone);
}

/** A `date` value as the moment the day after it starts in the zone: the end of a range that includes that day. */
export function endOfDateInput(value: string, timeZone: string): Date | null {
  const m = DATE_INPUT.exec(value);
  if (!m) return null;
  const day = wallOf(Number(m[1]), Number(m[2]), Number(m[3]));
  return day === null ? null : momentOfWallTime(day + 24 * 60 * 60_000, timeZone);
}

/** The `datetime-local` value that shows `at` on the zone's wall clock, to the minute. */
export function dateTimeInputValue(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}
