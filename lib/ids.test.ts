import { describe, expect, it } from "vitest";
import { digest, newId, newSecret, randomBase62 } from "./ids";

describe("ids and secrets", () => {
  it("prefixes ids by kind", () => {
    expect(newId("msp")).toMatch(/^msp_[0-9A-Za-z]{20}$/);
    expect(newId("member")).toMatch(/^mem_[0-9A-Za-z]{20}$/);
  });

  it("makes 256-bit secrets (43 base62 characters) that do not repeat", () => {
    const seen = new Set(Array.from({ length: 1000 }, newSecret));
    expect(seen.size).toBe(1000);
    for (const s of seen) expect(s).toMatch(/^[0-9A-Za-z]{43}$/);
  });

  it("draws base62 characters evenly", () => {
    const counts = new Map<string, number>();
    for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });

  it("digests deterministically", () => {
    expect(digest("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
