import { describe, expect, it } from "vitest";
import { isTimeZone, localTime, withinHours } from "./hours";

describe("policy hours", () => {
  const weekdays = { days: [1, 2, 3, 4, 5], from: "08:00", to: "18:00" };

  it("reads the time in the customer's zone", () => {
    // Monday 2026-12-07 07:30 UTC is 08:30 in Berlin and 02:30 in New York.
    const at = new Date("2026-12-07T07:30:00Z");
    expect(localTime(at, "Europe/Berlin")).toEqual({ day: 1, minute: 8 * 60 + 30 });
    expect(withinHours(weekdays, "Europe/Berlin", at)).toBe(true);
    expect(withinHours(weekdays, "America/New_York", at)).toBe(false);
    expect(withinHours(weekdays, "UTC", at)).toBe(false);
  });

  it("ends before the end time and skips days not listed", () => {
    expect(withinHours(weekdays, "UTC", new Date("2026-12-07T18:00:00Z"))).toBe(false);
    expect(withinHours(weekdays, "UTC", new Date("2026-12-06T12:00:00Z"))).toBe(false);
  });

  it("hours past midnight belong to the day they start on", () => {
    const night = { days: [5], from: "22:00", to: "06:00" };
    expect(withinHours(night, "UTC", new Date("2026-12-11T23:00:00Z"))).toBe(true);
    expect(withinHours(night, "UTC", new Date("2026-12-12T05:59:00Z"))).toBe(true);
    expect(withinHours(night, "UTC", new Date("2026-12-12T23:00:00Z"))).toBe(false);
  });

  it("knows IANA zones", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
