import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, DecryptionError, encryptSecret, keyIdOf, parseKeyRing, rewrapSecret } from "./envelope";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");
const ring1 = parseKeyRing(`k1:${k1}`, "k1");
const ring12 = parseKeyRing(`k1:${k1},k2:${k2}`, "k2");

describe("envelope encryption", () => {
  it("round-trips and names the key it used", () => {
    const sealed = encryptSecret(ring1, "Tr0ub4dor&3-canary", "grant:gr_1:password");
    expect(sealed).not.toContain("canary");
    expect(keyIdOf(sealed)).toBe("k1");
    expect(decryptSecret(ring1, sealed, "grant:gr_1:password")).toBe("Tr0ub4dor&3-canary");
  });

  it("never repeats a ciphertext for the same plaintext", () => {
    const seen = new Set(Array.from({ length: 500 }, () => encryptSecret(ring1, "same", "ctx")));
    expect(seen.size).toBe(500);
  });

  it("refuses a ciphertext moved to another row or column (associated data)", () => {
    const sealed = encryptSecret(ring1, "secret", "grant:gr_1:password");
    expect(() => decryptSecret(ring1, sealed, "grant:gr_2:password")).toThrow(DecryptionError);
  });

  it("refuses any flipped byte in the wrapped key or the value", () => {
    const sealed = encryptSecret(ring1, "secret", "ctx");
    const [v, kid, wrapped, value] = sealed.split(".") as [string, string, string, string];
    for (const [part, rebuild] of [
      [wrapped, (p: string) => [v, kid, p, value].join(".")],
      [value, (p: string) => [v, kid, wrapped, p].join(".")],
    ] as const) {
      const raw = Buffer.from(part, "base64url");
      for (const at of [0, 13, raw.length - 1]) {
        const tampered = Buffer.from(raw);
        tampered[at]! ^= 0x01;
        expect(() => decryptSecret(ring1, rebuild(tampered.toString("base64url")), "ctx")).toThrow(DecryptionError);
      }
    }
  });

  it("refuses unencrypted values and unknown keys", () => {
    expect(() => decryptSecret(ring1, "plain text password", "ctx")).toThrow(/not a Stint envelope/);
    const sealed = encryptSecret(ring12, "secret", "ctx");
    expect(() => decryptSecret(ring1, sealed, "ctx")).toThrow(/k2 is not in the key ring/);
  });

  it("rotates: new writes use the active key, old ones still decrypt, rewrap moves them without the plaintext changing", () => {
    const old = encryptSecret(ring1, "secret", "ctx");
    expect(decryptSecret(ring12, old, "ctx")).toBe("secret");
    const rewrapped = rewrapSecret(ring12, old, "ctx");
    expect(keyIdOf(rewrapped)).toBe("k2");
    expect(rewrapped.split(".")[3]).toBe(old.split(".")[3]);
    expect(decryptSecret(parseKeyRing(`k2:${k2}`, "k2"), rewrapped, "ctx")).toBe("secret");
    expect(rewrapSecret(ring12, rewrapped, "ctx")).toBe(rewrapped);
  });

  it("validates the key ring configuration", () => {
    expect(() => parseKeyRing("", undefined)).toThrow(/empty/);
    expect(() => parseKeyRing("k1:c2hvcnQ=", undefined)).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`k1:${k1},k1:${k2}`, undefined)).toThrow(/twice/);
    expect(() => parseKeyRing(`k1:${k1}`, "k9")).toThrow(/not in ENCRYPTION_KEYS/);
    expect(parseKeyRing(`k1:${k1},k2:${k2}`, undefined).activeKeyId).toBe("k2");
  });
});
