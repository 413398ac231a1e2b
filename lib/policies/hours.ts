const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The ISO weekday (1 = Monday) and minute of the day of `at` in an IANA time zone. */
export function localTime(at: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: weekdays[part("weekday")]!, minute: Number(part("hour")) * 60 + Number(part("minute")) };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `at` falls in the hours: on one of the days, from `from` up to `to`. Hours that end before they
 * start run past midnight and belong to the day they start on.
 */
export function withinHours(hours: { days: readonly number[]; from: string; to: string }, timeZone: string, at: Date): boolean {
  const { day, minute } = localTime(at, timeZone);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from < to) return hours.days.includes(day) && minute >= from && minute < to;
  const previousDay = day === 1 ? 7 : day - 1;
  return (hours.days.includes(day) && minute >= from) || (hours.days.includes(previousDay) && minute < to);
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
