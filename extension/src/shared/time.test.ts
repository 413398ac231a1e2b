import { describe, expect, it } from "vitest";
import { formatMoment } from "@/lib/time/format-moment";
import { formatInBrowserZone, timeLeft } from "./time";

describe("timeLeft", () => {
  const now = Date.parse("2026-12-03T10:00:00Z");
  it("counts down in the largest useful units", () => {
    expect(timeLeft("2026-12-03T11:05:30Z", now)).toBe("1 h 05 min");
    expect(timeLeft("2026-12-03T10:04:09Z", now)).toBe("4 min 09 s");
    expect(timeLeft("2026-12-03T10:00:09Z", now)).toBe("9 s");
  });
  it("says ended at and after the end, and nothing without one", () => {
    expect(timeLeft("2026-12-03T10:00:00Z", now)).toBe("ended");
    expect(timeLeft("2026-12-03T09:00:00Z", now)).toBe("ended");
    expect(timeLeft(null, now)).toBe("");
  });
});

describe("formatInBrowserZone", () => {
  it("writes the time as the console does, with the browser's zone named", () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(formatInBrowserZone("2026-12-03T10:05:00Z", "time")).toBe(formatMoment("2026-12-03T10:05:00Z", zone, "time"));
    expect(formatInBrowserZone("2026-12-03T10:05:00Z", "short")).toMatch(/^3 Dec, \d\d:\d\d \S+$/);
  });
});
