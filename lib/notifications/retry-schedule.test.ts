import { describe, expect, it } from "vitest";
import { nextRetryDelayMs, parseRetryAfter, retryDelaysMs, shouldDisable } from "./retry-schedule";

describe("the retry schedule", () => {
  it("backs off along the schedule, then gives up", () => {
    expect(retryDelaysMs.map((_, i) => nextRetryDelayMs("grant.active", i + 1))).toEqual([...retryDelaysMs]);
    expect(nextRetryDelayMs("grant.active", retryDelaysMs.length + 1)).toBeNull();
  });

  it("retries the end of a session until acknowledged, at least hourly", () => {
    expect(nextRetryDelayMs("grant.ended", 1)).toBe(5_000);
    expect(nextRetryDelayMs("grant.ended", 9)).toBe(3_600_000);
    expect(nextRetryDelayMs("grant.ended", 500)).toBe(3_600_000);
  });

  it("tries a test message once", () => {
    expect(nextRetryDelayMs("notification.test", 1)).toBeNull();
  });

  it("waits at least as long as a receiver's Retry-After, up to an hour", () => {
    expect(nextRetryDelayMs("grant.active", 1, 120_000)).toBe(120_000);
    expect(nextRetryDelayMs("grant.active", 1, 1_000)).toBe(5_000);
    expect(nextRetryDelayMs("grant.active", 1, 86_400_000)).toBe(3_600_000);
    expect(parseRetryAfter("30")).toBe(30_000);
    expect(parseRetryAfter("Sat, 05 Dec 2026 00:01:00 GMT", new Date("2026-12-05T00:00:00Z"))).toBe(60_000);
    expect(parseRetryAfter("soon")).toBeNull();
  });

  it("turns an endpoint off only after many failures over a day", () => {
    const now = new Date("2026-12-05T12:00:00Z");
    expect(shouldDisable(10, new Date("2026-12-04T11:00:00Z"), now)).toBe(true);
    expect(shouldDisable(9, new Date("2026-12-04T11:00:00Z"), now)).toBe(false);
    expect(shouldDisable(50, new Date("2026-12-05T01:00:00Z"), now)).toBe(false);
  });
});
