import { describe, expect, it } from "vitest";
import { TOKEN_LENGTH, TOKEN_RANDOM_LENGTH, crc32, findTokens, generateToken, parseToken, tokenHint, tokenPrefixes } from "./format";

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("crc32", () => {
  it("matches the standard check values", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
    expect(crc32(new Uint8Array([0]))).toBe(0xd202ef8d);
  });
});

describe("token format", () => {
  it("has a type prefix, at least 160 random bits and a 6-character checksum", () => {
    const token = generateToken("personal");
    expect(token).toMatch(/^stp_[0-9A-Za-z]{38}$/);
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(generateToken("extension")).toMatch(/^ste_[0-9A-Za-z]{38}$/);
    // The hint shows the last 4 characters (checksum, ≤ 4 × log2(62) bits about the random part).
    expect((TOKEN_RANDOM_LENGTH - 4) * Math.log2(62)).toBeGreaterThanOrEqual(160);
    expect(TOKEN_RANDOM_LENGTH * Math.log2(62)).toBeGreaterThan(190);
  });

  it("recognises its own tokens and their type", () => {
    for (let i = 0; i < 200; i++) {
      expect(parseToken(generateToken("personal"))).toEqual({ type: "personal" });
      expect(parseToken(generateToken("extension"))).toEqual({ type: "extension" });
    }
  });

  it("never repeats and uses the whole alphabet", () => {
    const tokens = Array.from({ length: 2000 }, () => generateToken("personal"));
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.flatMap((t) => [...t.slice(4, 4 + TOKEN_RANDOM_LENGTH)]));
    expect(seen.size).toBe(62);
  });

  it("rejects any single changed character, anywhere, including the prefix and separator", () => {
    const token = generateToken("personal");
    let tried = 0;
    for (let i = 0; i < token.length; i++) {
      for (const c of `${base62}_-.`) {
        if (c === token[i]) continue;
        const flipped = token.slice(0, i) + c + token.slice(i + 1);
        // Changing the type letter (stp_ → ste_) must fail too: the checksum covers the prefix.
        expect(parseToken(flipped), `position ${i} → ${c}`).toBeNull();
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(token.length * 60);
  });

  it("rejects other shapes: case, length, foreign prefixes, whitespace", () => {
    const token = generateToken("personal");
    expect(parseToken(token.toUpperCase())).toBeNull();
    expect(parseToken(token.slice(0, -1))).toBeNull();
    expect(parseToken(`${token}a`)).toBeNull();
    expect(parseToken(` ${token}`)).toBeNull();
    expect(parseToken(`ghp_${token.slice(4)}`)).toBeNull();
    expect(parseToken(`stx_${token.slice(4)}`)).toBeNull();
    expect(parseToken("")).toBeNull();
    expect(parseToken("x".repeat(10_000))).toBeNull();
    expect(Object.values(tokenPrefixes)).toEqual(["stp_", "ste_"]);
  });

  it("hints with the prefix and the last four characters", () => {
    const token = generateToken("personal");
    expect(tokenHint(token)).toBe(`stp_…${token.slice(-4)}`);
  });

  it("finds checksum-valid tokens inside text and ignores look-alikes", () => {
    const token = generateToken("extension");
    const fake = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    expect(findTokens(`https://x.test/api?access_token=${token}&q=1`)).toEqual([token]);
    expect(findTokens(`token=${fake}`)).toEqual([]);
    expect(findTokens(`x${token}`)).toEqual([]);
  });
});
