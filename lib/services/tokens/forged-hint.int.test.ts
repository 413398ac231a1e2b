import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { crc32, parseToken, tokenHint } from "@/lib/tokens/format";
import { expectAppError, seedMspDirectly } from "@/test/factories";
import { TOKEN_AUTH_LIMITS, authenticateToken } from "./authenticate";
import { bearer, newToken, requestFrom } from "./test-helpers";

afterAll(closeDb);

const PREFIX = 4;
const RANDOM = 32;

/**
 * Checksum-valid tokens with the same checksum as `token`, hence the same public hint (prefix + last four),
 * as anyone who has seen the hint can make. CRC-32 is affine over GF(2): flipping a set of bits keeps the
 * checksum when the flips' linear images XOR to zero. The flips offered keep every character base62
 * (0x20 swaps a letter's case, 0x01 pairs 0↔1 … 8↔9, B↔C … X↔Y), and Gaussian elimination over their
 * 32-bit images finds the sets that cancel.
 */
function sameHintTokens(token: string, count: number): string[] {
  const body = Buffer.from(token.slice(0, PREFIX + RANDOM), "latin1");
  const zero = crc32(Buffer.alloc(body.length));
  const flips: { at: number; bit: number; image: number }[] = [];
  for (let at = PREFIX; at < PREFIX + RANDOM; at++) {
    const c = String.fromCharCode(body[at]!);
    const bits = [/[A-Za-z]/.test(c) ? 0x20 : 0, /[0-9B-Yb-y]/.test(c) ? 0x01 : 0].filter(Boolean);
    for (const bit of bits) {
      const e = Buffer.alloc(body.length);
      e[at] = bit;
      flips.push({ at, bit, image: (crc32(e) ^ zero) >>> 0 });
    }
  }
  const pivots = new Map<number, { image: number; set: bigint }>();
  const cancelling: bigint[] = [];
  flips.forEach((flip, i) => {
    let image = flip.image;
    let set = 1n << BigInt(i);
    for (let bit = 31; bit >= 0 && image !== 0; bit--) {
      if (!((image >>> bit) & 1)) continue;
      const pivot = pivots.get(bit);
      if (!pivot) {
        pivots.set(bit, { image, set });
        return;
      }
      image = (image ^ pivot.image) >>> 0;
      set ^= pivot.set;
    }
    cancelling.push(set);
  });
  return cancelling.slice(0, count).map((set) => {
    const forged = Buffer.from(body);
    flips.forEach((flip, i) => {
      if ((set >> BigInt(i)) & 1n) forged[flip.at]! ^= flip.bit;
    });
    return forged.toString("latin1") + token.slice(PREFIX + RANDOM);
  });
}

describe("the failed-token limit", () => {
  it("counts each presented token on its own: forged tokens sharing a real token's hint do not lock its owner out", async () => {
    const msp = await seedMspDirectly({ mspName: "Forged hint MSP" });
    const real = await newToken(msp.owner);
    const forged = sameHintTokens(real.token, TOKEN_AUTH_LIMITS.token.points + 2);
    expect(forged).toHaveLength(TOKEN_AUTH_LIMITS.token.points + 2);
    expect(new Set(forged).size).toBe(forged.length);
    for (const f of forged) {
      expect(f).not.toBe(real.token);
      expect(parseToken(f)).toEqual({ type: "personal" });
      expect(tokenHint(f)).toBe(real.hint);
    }
    // Each from its own address, so only the per-token limit could be at play.
    for (const f of forged) await expectAppError(authenticateToken(bearer(f), requestFrom()), "unauthorized");
    const principal = await authenticateToken(bearer(real.token), requestFrom());
    expect(principal.token.id).toBe(real.id);
  });
});
