import { describe, expect, it } from "vitest";
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from "./canonical";

const event: ChainedFields = {
  mspId: "msp_1", seq: 1, occurredAt: new Date("2026-01-01T00:00:00.000Z"), actorType: "member", actorId: "mem_1",
  actorLabel: "a@b.c", action: "member.invited", targetType: null, targetId: null, targetLabel: null, result: "success",
  reason: null, ip: null, userAgent: null, metadata: { b: 1, a: { d: [2, 1], c: "x" } },
};

describe("audit canonical form", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: "x" } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
  });

  it("hashes the same event the same way regardless of key order", () => {
    const reordered = { ...event, metadata: { a: { c: "x", d: [2, 1] }, b: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, event));
  });

  it("changes with the previous hash and with any field", () => {
    const base = chainHash(GENESIS_HASH, event);
    expect(chainHash("f".repeat(64), event)).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...event, result: "failure" })).not.toBe(base);
    expect(chainHash(GENESIS_HASH, { ...event, userAgent: "x\r\n{\"injected\":1}" })).not.toBe(base);
  });

  it("hashes text as Postgres stores it: a lone surrogate or a NUL as U+FFFD, keys and values", () => {
    const stored = chainHash(GENESIS_HASH, { ...event, reason: "a\ufffdb", metadata: { "k\ufffd": ["\ufffd"] } });
    expect(chainHash(GENESIS_HASH, { ...event, reason: "a\ud800b", metadata: { "k\udfff": ["\u0000"] } })).toBe(stored);
    expect(chainHash(GENESIS_HASH, { ...event, reason: "a\u0000b", metadata: { "k\u0000": ["\ud83d"] } })).toBe(stored);
    // Well-formed text is hashed as it is: an emoji's surrogate pair is not a lone surrogate.
    expect(canonicalJson({ a: "\ud83d\ude00" })).toBe('{"a":"\ud83d\ude00"}');
  });
});
