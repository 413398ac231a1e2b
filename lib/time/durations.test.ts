import { describe, expect, it } from "vitest";
import { formatClock, formatSpan } from "./durations";

describe("formatSpan", () => {
  it("says how long in the largest useful units", () => {
    expect(formatSpan(850)).toBe("850 ms");
    expect(formatSpan(42_000)).toBe("42 s");
    expect(formatSpan(200_000)).toBe("3 min 20 s");
    expect(formatSpan(7_500_000)).toBe("2 h 05 min");
    expect(formatSpan(-42_000)).toBe("42 s");
  });
});

describe("formatClock", () => {
  it("shows a countdown's face, never below zero", () => {
    expect(formatClock(3_849_000)).toBe("1:04:09");
    expect(formatClock(725_000)).toBe("12:05");
    expect(formatClock(-5_000)).toBe("0:00");
  });
});
