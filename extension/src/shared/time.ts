import { formatMoment } from "@/lib/time/format-moment";

/** "1 h 05 min", "4 min 09 s", "ended": how long a grant still has, for the popup's countdown. */
export function timeLeft(endsAt: string | null, now: number): string {
  if (!endsAt) return "";
  const seconds = Math.floor((Date.parse(endsAt) - now) / 1000);
  if (!(seconds > 0)) return "ended";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return `${m} min ${pad(s)} s`;
  return `${s} s`;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A moment as the console writes it, in the browser's zone, named: "09:52 CET" ("time"), or with the day
 * when it may not be today: "6 Dec, 09:00 CET" ("short").
 */
export function formatInBrowserZone(at: Date | string, style: "time" | "short"): string {
  return formatMoment(at, browserZone(), style);
}
