import { describe, expect, it } from "vitest";
import { formatMoment, formatMomentUtc, zoneName } from "./format-moment";

const at = "2026-12-05T08:52:10Z";

describe("formatMoment", () => {
  it("writes each style in en-GB order and names the zone", () => {
    expect(formatMoment(at, "Europe/Berlin")).toBe("5 Dec 2026, 09:52:10 CET");
    expect(formatMoment(at, "Europe/Berlin", "minute")).toBe("5 Dec 2026, 09:52 CET");
    expect(formatMoment(at, "Europe/Berlin", "short")).toBe("5 Dec, 09:52 CET");
    expect(formatMoment(at, "Europe/Berlin", "date")).toBe("5 Dec 2026 CET");
    expect(formatMoment(at, "Europe/Berlin", "time")).toBe("09:52 CET");
  });

  it("reads the zone's wall clock, across midnight and at half-hour offsets", () => {
    expect(formatMoment(at, "America/New_York")).toBe("5 Dec 2026, 03:52:10 GMT-5");
    expect(formatMoment("2026-12-05T20:00:00Z", "Pacific/Auckland", "short")).toBe("6 Dec, 09:00 GMT+13");
    expect(formatMoment(at, "Asia/Kolkata", "time")).toBe("14:22 GMT+5:30");
  });

  it("follows daylight saving time: the name and the clock change at the switch", () => {
    // Berlin went from 02:00 CET to 03:00 CEST at 01:00 UTC on 29 March 2026.
    expect(formatMoment("2026-03-29T00:59:59Z", "Europe/Berlin")).toBe("29 Mar 2026, 01:59:59 CET");
    expect(formatMoment("2026-03-29T01:00:00Z", "Europe/Berlin")).toBe("29 Mar 2026, 03:00:00 CEST");
    // Back on 25 October: 02:30 happens twice, told apart by the zone's name.
    expect(formatMoment("2026-10-25T00:30:00Z", "Europe/Berlin", "minute")).toBe("25 Oct 2026, 02:30 CEST");
    expect(formatMoment("2026-10-25T01:30:00Z", "Europe/Berlin", "minute")).toBe("25 Oct 2026, 02:30 CET");
    expect(zoneName("2026-07-01T12:00:00Z", "America/New_York")).toBe("GMT-4");
  });

  it("writes midnight as 00:00, never 24:00", () => {
    expect(formatMoment("2026-12-05T23:00:00Z", "Europe/Berlin", "time")).toBe("00:00 CET");
  });

  it("takes a Date or an ISO string alike", () => {
    expect(formatMoment(new Date(at), "UTC")).toBe(formatMoment(at, "UTC"));
  });
});

describe("formatMomentUtc", () => {
  it("is the same moment in UTC, for the hover text", () => {
    expect(formatMomentUtc(at)).toBe("5 Dec 2026, 08:52:10 UTC");
    expect(formatMomentUtc(at, "short")).toBe("5 Dec, 08:52 UTC");
  });
});
