import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

async function load(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  return import("./digest");
}

afterEach(() => vi.unstubAllEnvs());

describe("token digests", () => {
  it("is an HMAC under TOKEN_DIGEST_KEY: stable for a key, different for another", async () => {
    const key = randomBytes(32).toString("base64");
    const a = await load({ TOKEN_DIGEST_KEY: key, ENCRYPTION_KEYS: undefined });
    const first = a.tokenDigest("stp_example");
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tokenDigest("stp_example")).toBe(first);
    expect(a.tokenDigest("stp_examplf")).not.toBe(first);
    const b = await load({ TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") });
    expect(b.tokenDigest("stp_example")).not.toBe(first);
  });

  it("derives a key from ENCRYPTION_KEYS' first key when TOKEN_DIGEST_KEY is unset", async () => {
    const first = randomBytes(32).toString("base64");
    const ring = `old:${first},new:${randomBytes(32).toString("base64")}`;
    const a = await load({ TOKEN_DIGEST_KEY: undefined, ENCRYPTION_KEYS: ring });
    const derived = a.tokenDigest("stp_example");
    // Adding keys to the ring keeps the digests; the raw encryption key is not the digest key.
    const b = await load({ TOKEN_DIGEST_KEY: undefined, ENCRYPTION_KEYS: `${ring},newer:${randomBytes(32).toString("base64")}` });
    expect(b.tokenDigest("stp_example")).toBe(derived);
    const c = await load({ TOKEN_DIGEST_KEY: first });
    expect(c.tokenDigest("stp_example")).not.toBe(derived);
  });

  it("refuses a TOKEN_DIGEST_KEY that is not base64 of 32 bytes", async () => {
    await expect(load({ TOKEN_DIGEST_KEY: randomBytes(16).toString("base64") })).rejects.toThrow(/TOKEN_DIGEST_KEY/);
  });

  it("compares texts of any length without throwing", async () => {
    const { safeEqualText } = await load({ TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") });
    expect(safeEqualText("a@example.test", "a@example.test")).toBe(true);
    expect(safeEqualText("a@example.test", "b@example.test")).toBe(false);
    expect(safeEqualText("short", "a much longer string")).toBe(false);
    expect(safeEqualText("", "")).toBe(true);
  });
});
