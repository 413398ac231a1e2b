import { describe, expect, it } from "vitest";
import { formatUserCode, newUserCode, normaliseUserCode, USER_CODE_ALPHABET, USER_CODE_LENGTH } from "./user-code";

describe("pairing user codes", () => {
  it("use 20 unambiguous consonants: no vowels, no digits, nothing that reads as another character", () => {
    expect(USER_CODE_ALPHABET).toHaveLength(20);
    expect(new Set(USER_CODE_ALPHABET).size).toBe(20);
    expect(USER_CODE_ALPHABET).not.toMatch(/[AEIOUY0-9]/);
  });

  it("are 8 characters of the alphabet, and cover all of it", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = newUserCode();
      expect(code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`));
      for (const ch of code) seen.add(ch);
    }
    expect(seen.size).toBe(20);
  });

  it("show as XXXX-XXXX", () => {
    expect(formatUserCode("BCDFGHJK")).toBe("BCDF-GHJK");
  });

  it("normalise what a member types: case, dash and spaces do not matter", () => {
    for (const typed of ["BCDF-GHJK", "bcdf-ghjk", "BCDFGHJK", " bcdf ghjk ", "Bcdf--Ghjk"]) expect(normaliseUserCode(typed)).toBe("BCDFGHJK");
  });

  it("refuse what cannot be a code: wrong length, vowels, digits, other symbols", () => {
    for (const typed of ["", "BCDF-GHJ", "BCDF-GHJKL", "BCDF-GHJA", "BCDF-GHJ1", "BCDF_GHJK", "BCDF-GHJ!"]) expect(normaliseUserCode(typed)).toBeNull();
  });
});
