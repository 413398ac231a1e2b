/**
 * The one way Stint writes a moment for people: en-GB order in a named IANA zone, always followed by the
 * zone's short name ("CET", "GMT-5", "UTC") so a time is never ambiguous. The console, the extension and
 * the monthly statement all use it; exports and the API keep ISO 8601 in UTC.
 */

export type MomentStyle = "full" | "minute" | "short" | "date" | "time";

const styleOptions: Record<MomentStyle, Intl.DateTimeFormatOptions> = {
  /** 5 Dec 2026, 08:52:10 */
  full: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" },
  /** 5 Dec 2026, 08:52 */
  minute: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  /** 5 Dec, 08:52: for narrow cells */
  short: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
  /** 5 Dec 2026 */
  date: { day: "numeric", month: "short", year: "numeric" },
  /** 08:52 */
  time: { hour: "2-digit", minute: "2-digit" },
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(style: MomentStyle | "zone", timeZone: string): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    const options = style === "zone" ? { timeZoneName: "short" as const } : styleOptions[style];
    format = new Intl.DateTimeFormat("en-GB", { ...options, hourCycle: "h23", timeZone });
    formats.set(key, format);
  }
  return format;
}

/** The zone's short name at that moment: "CET" in winter and "CEST" in summer, "GMT-5", "UTC". */
export function zoneName(at: Date | string, timeZone: string): string {
  const parts = formatFor("zone", timeZone).formatToParts(new Date(at));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** "5 Dec 2026, 09:52:10 CET": the moment on the zone's wall clock, in a style, with the zone named. */
export function formatMoment(at: Date | string, timeZone: string, style: MomentStyle = "full"): string {
  return `${formatFor(style, timeZone).format(new Date(at))} ${zoneName(at, timeZone)}`;
}

/** The same moment in UTC, for the hover text beside a zoned time. */
export function formatMomentUtc(at: Date | string, style: MomentStyle = "full"): string {
  return formatMoment(at, "UTC", style);
}
