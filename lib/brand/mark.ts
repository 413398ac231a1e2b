/**
 * Stint's mark, the one drawing behind the console's logo, its favicon and the extension's icon: a dark
 * rounded square holding a white clock (a ring and two hands). Lengths are fractions of the square's side.
 */
export const mark = {
  background: "#0f172a",
  foreground: "#ffffff",
  cornerRadius: 0.22,
  ringRadius: 0.3,
  ringHalfWidth: 0.05,
  handHalfWidth: 0.045,
  minuteHand: 0.22,
  hourHand: 0.16,
} as const;

/** The mark as an SVG document on a 100-unit square. */
export function markSvg(): string {
  const u = (f: number) => +(f * 100).toFixed(2);
  const hand = u(mark.handHalfWidth * 2);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">`,
    `<rect width="100" height="100" rx="${u(mark.cornerRadius)}" fill="${mark.background}"/>`,
    `<circle cx="50" cy="50" r="${u(mark.ringRadius)}" fill="none" stroke="${mark.foreground}" stroke-width="${u(mark.ringHalfWidth * 2)}"/>`,
    `<path d="M50 50V${50 - u(mark.minuteHand)}M50 50H${50 + u(mark.hourHand)}" stroke="${mark.foreground}" stroke-width="${hand}"/>`,
    `</svg>`,
  ].join("");
}

/** The mark as a data URL, for a favicon that needs no request of its own. */
export const markDataUrl = (): string => `data:image/svg+xml,${encodeURIComponent(markSvg())}`;
