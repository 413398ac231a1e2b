import { describe, expect, it } from "vitest";
import { formatMoment } from "@/lib/time/format-moment";
import { clipToMonth, monthAt, monthTitle, shiftMonth, zonedMonth } from "./zoned-month";

const iso = (m: { from: Date; to: Date }) => [m.from.toISOString(), m.to.toISOString()];
const hours = (m: { from: Date; to: Date }) => (m.to.getTime() - m.from.getTime()) / 3_600_000;

describe("zonedMonth", () => {
  it("runs from local midnight on the 1st to local midnight on the next 1st", () => {
    expect(iso(zonedMonth("2026-11", "UTC"))).toEqual(["2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
    expect(iso(zonedMonth("2026-07", "America/New_York"))).toEqual(["2026-07-01T04:00:00.000Z", "2026-08-01T04:00:00.000Z"]);
    expect(iso(zonedMonth("2026-12", "Asia/Kolkata"))).toEqual(["2026-11-30T18:30:00.000Z", "2026-12-31T18:30:00.000Z"]);
  });

  it("is an hour short in the month clocks go forward and an hour long in the month they go back", () => {
    const march = zonedMonth("2026-03", "Europe/Berlin");
    expect(iso(march)).toEqual(["2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"]);
    expect(hours(march)).toBe(31 * 24 - 1);
    const october = zonedMonth("2026-10", "Europe/Berlin");
    expect(iso(october)).toEqual(["2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z"]);
    expect(hours(october)).toBe(31 * 24 + 1);
    expect(hours(zonedMonth("2026-11", "America/New_York"))).toBe(30 * 24 + 1);
    // Southern hemisphere: Sydney goes back in April and forward in October.
    expect(hours(zonedMonth("2026-04", "Australia/Sydney"))).toBe(30 * 24 + 1);
    expect(hours(zonedMonth("2026-10", "Australia/Sydney"))).toBe(31 * 24 - 1);
  });

  it("starts at 01:00 when the clock skips midnight on the 1st", () => {
    // Paraguay moved its clocks from 00:00 to 01:00 on 1 October 2023.
    const october = zonedMonth("2023-10", "America/Asuncion");
    expect(october.from.toISOString()).toBe("2023-10-01T04:00:00.000Z");
    expect(formatMoment(october.from, "America/Asuncion", "minute")).toBe("1 Oct 2023, 01:00 GMT-3");
    expect(zonedMonth("2023-09", "America/Asuncion").to).toEqual(october.from);
  });

  it("crosses the year", () => {
    expect(iso(zonedMonth("2026-12", "Europe/Berlin"))).toEqual(["2026-11-30T23:00:00.000Z", "2026-12-31T23:00:00.000Z"]);
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2027-01", -1)).toBe("2026-12");
  });
});

describe("clipToMonth", () => {
  const november = zonedMonth("2026-11", "Europe/Berlin");

  it("cuts a span that crosses either edge of the month to the part inside", () => {
    // 22:30 to 01:30 Berlin time across the start of November: 90 minutes are in it.
    expect(clipToMonth({ start: new Date("2026-10-31T21:30:00Z"), end: new Date("2026-11-01T00:30:00Z") }, november)).toEqual({
      from: new Date("2026-10-31T23:00:00Z"), to: new Date("2026-11-01T00:30:00Z"), minutes: 90,
    });
    // 23:00 on 30 November to 02:00 on 1 December, Berlin time: 60 minutes are in it.
    expect(clipToMonth({ start: new Date("2026-11-30T22:00:00Z"), end: new Date("2026-12-01T01:00:00Z") }, november)).toEqual({
      from: new Date("2026-11-30T22:00:00Z"), to: new Date("2026-11-30T23:00:00Z"), minutes: 60,
    });
    expect(clipToMonth({ start: new Date("2026-11-03T08:00:00Z"), end: new Date("2026-11-03T08:45:00Z") }, november)?.minutes).toBe(45);
  });

  it("is null for a span outside the month, although the same span is inside November in UTC", () => {
    expect(clipToMonth({ start: new Date("2026-11-30T23:10:00Z"), end: new Date("2026-11-30T23:50:00Z") }, november)).toBeNull();
    expect(clipToMonth({ start: new Date("2026-11-30T23:10:00Z"), end: new Date("2026-11-30T23:50:00Z") }, zonedMonth("2026-11", "UTC"))?.minutes).toBe(40);
  });
});

describe("monthAt and monthTitle", () => {
  it("read the zone's wall clock", () => {
    expect(monthAt(new Date("2026-11-30T23:30:00Z"), "Europe/Berlin")).toBe("2026-12");
    expect(monthAt(new Date("2026-11-30T23:30:00Z"), "UTC")).toBe("2026-11");
    expect(monthTitle("2026-11")).toBe("November 2026");
  });
});
