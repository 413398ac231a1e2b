import { describe, expect, it } from "vitest";
import { z } from "zod";
import { wholeNumber } from "./whole-number";

const minutes = wholeNumber("minutes must be a number.", z.number().int().min(5));

describe("wholeNumber", () => {
  it("takes JSON numbers and decimal digits (a form field), nothing that would be guessed", () => {
    expect(minutes.parse(30)).toBe(30);
    expect(minutes.parse("30")).toBe(30);
    for (const guess of ["0x10", "1e2", " 30 ", "", "30.0", "-30", true, null, [30]]) {
      const result = minutes.safeParse(guess);
      expect(result.success, JSON.stringify(guess)).toBe(false);
    }
    expect(minutes.safeParse("0x10").error!.issues[0]!.message).toBe("minutes must be a number.");
    expect(minutes.safeParse(3).success).toBe(false);
  });
});
