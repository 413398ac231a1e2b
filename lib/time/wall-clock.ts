/** A moment as a zone's wall clock reads it, and the zone's offset from UTC then. */

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const readers = new Map<string, Intl.DateTimeFormat>();

function readerFor(timeZone: string): Intl.DateTimeFormat {
  let reader = readers.get(timeZone);
  if (!reader) {
    reader = new Intl.DateTimeFormat("en-US", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    });
    readers.set(timeZone, reader);
  }
  return reader;
}

export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = readerFor(timeZone).formatToParts(at);
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return { year: n("year"), month: n("month"), day: n("day"), hour: n("hour"), minute: n("minute"), second: n("second") };
}

/** The wall clock's reading as milliseconds on a UTC time line, so readings compare and subtract. */
export function wallTime(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** How far the zone's wall clock is ahead of UTC at `at`, in milliseconds. */
export function offsetAt(at: Date, timeZone: string): number {
  return wallTime(wallClock(at, timeZone)) - Math.floor(at.getTime() / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The moment a wall-clock reading (as from `wallTime`) names in the zone. A reading the clock shows twice
 * (clocks going back) is the earlier moment; one it skips (clocks going forward) moves forward by the
 * gap, so 02:30 on a day Berlin jumps from 02:00 to 03:00 is 03:30.
 */
export function momentOfWallTime(wall: number, timeZone: string): Date {
  const offsets = [offsetAt(new Date(wall - DAY_MS), timeZone), offsetAt(new Date(wall + DAY_MS), timeZone)];
  const exact = offsets.map((offset) => wall - offset).filter((t) => wallTime(wallClock(new Date(t), timeZone)) === wall);
  if (exact.length > 0) return new Date(Math.min(...exact));
  // Skipped: read with the offset before the jump, which lands as far past the gap as the reading was into it.
  return new Date(wall - offsets[0]!);
}
