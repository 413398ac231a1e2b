import { describe, expect, it } from "vitest";
import { dateTimeInputValue, endOfDateInput, momentFromDateTimeInput, startOfDateInput } from "./zoned-input";

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("momentFromDateTimeInput", () => {
  it("reads the input on the zone's wall clock", () => {
    expect(iso(momentFromDateTimeInput("2026-12-05T09:30", "UTC"))).toBe("2026-12-05T09:30:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-12-05T09:30", "America/New_York"))).toBe("2026-12-05T14:30:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-07-05T09:30", "America/New_York"))).toBe("2026-07-05T13:30:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-12-06T00:15", "Asia/Kolkata"))).toBe("2026-12-05T18:45:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-12-05T09:30:15", "America/New_York"))).toBe("2026-12-05T14:30:15.000Z");
  });

  it("moves a time the clock skips forward by the gap", () => {
    // Berlin jumps from 02:00 to 03:00 on 29 March 2026: 02:30 does not exist and becomes 03:30 CEST.
    expect(iso(momentFromDateTimeInput("2026-03-29T02:30", "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-03-29T02:00", "Europe/Berlin"))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-03-29T03:00", "Europe/Berlin"))).toBe("2026-03-29T01:00:00.000Z");
  });

  it("takes the first of a time the clock shows twice", () => {
    // Berlin goes back from 03:00 CEST to 02:00 CET on 25 October 2026: 02:30 happens at 00:30 and 01:30 UTC.
    expect(iso(momentFromDateTimeInput("2026-10-25T02:30", "Europe/Berlin"))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(momentFromDateTimeInput("2026-11-01T01:30", "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("refuses what is not a reading of any calendar", () => {
    for (const bad of ["", "2026-12-05", "2026-12-05T9:30", "2026-02-30T10:00", "2026-12-05T24:00", "2026-12-05T09:30:60", "2026-13-01T10:00", "2026-12-05T09:30Z"]) {
      expect(momentFromDateTimeInput(bad, "UTC")).toBeNull();
    }
  });
});

describe("endOfDateInput", () => {
  it("is the zone's midnight of the next day, across month ends and a short day", () => {
    expect(iso(endOfDateInput("2026-12-31", "UTC"))).toBe("2027-01-01T00:00:00.000Z");
    expect(iso(endOfDateInput("2026-12-05", "America/New_York"))).toBe("2026-12-06T05:00:00.000Z");
    // Berlin's 29 March 2026 has 23 hours: the day ends at 22:00 UTC, not 23:00.
    expect(iso(endOfDateInput("2026-03-29", "Europe/Berlin"))).toBe("2026-03-29T22:00:00.000Z");
    expect(endOfDateInput("2026-02-30", "UTC")).toBeNull();
  });
});

describe("startOfDateInput", () => {
  it("is the zone's midnight of that day", () => {
    expect(iso(startOfDateInput("2026-12-05", "UTC"))).toBe("2026-12-05T00:00:00.000Z");
    expect(iso(startOfDateInput("2026-12-05", "America/New_York"))).toBe("2026-12-05T05:00:00.000Z");
    expect(iso(startOfDateInput("2026-12-05", "Europe/Berlin"))).toBe("2026-12-04T23:00:00.000Z");
  });

  it("starts at 01:00 on a day whose midnight is skipped", () => {
    // Paraguay moved its clocks from 00:00 to 01:00 on 1 October 2023.
    expect(iso(startOfDateInput("2023-10-01", "America/Asuncion"))).toBe("2023-10-01T04:00:00.000Z");
  });

  it("refuses what is not a date", () => {
    expect(startOfDateInput("2026-12-05T00:00", "UTC")).toBeNull();
    expect(startOfDateInput("2026-02-29", "UTC")).toBeNull();
  });
});

describe("dateTimeInputValue", () => {
  it("shows a moment on the zone's wall clock and reads back to it", () => {
    const at = new Date("2026-12-05T14:30:00Z");
    expect(dateTimeInputValue(at, "America/New_York")).toBe("2026-12-05T09:30");
    expect(momentFromDateTimeInput(dateTimeInputValue(at, "America/New_York"), "America/New_York")).toEqual(at);
    expect(dateTimeInputValue(at, "UTC")).toBe("2026-12-05T14:30");
  });
});
