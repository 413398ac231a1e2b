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
