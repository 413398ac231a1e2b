import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

async function load(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  return import("./launch-ticket");
}

afterEach(() => vi.unstubAllEnvs());

const binding = { mspId: "msp_1", grantId: "grt_1", memberId: "mem_1", tokenId: "tok_1" };
const now = new Date("2026-11-23T10:00:00Z");
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

function reencode(ticket: string, change: (claims: Record<string, unknown>) => void, key?: Buffer) {
  const [payload, signature] = ticket.split(".") as [string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  change(claims);
  const next = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${next}.${key ? createHmac("sha256", key).update(next).digest("base64url") : signature}`;
}

describe("launch tickets", () => {
  it("round-trips: a fresh ticket verifies with its binding, a 128-bit jti, typ launch and exp ≤ 60 s", async () => {
    const t = await load({ TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") });
    const issued = t.issueLaunchTicket(binding, { now });
    expect(issued.ticket).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.claims.jti, "base64url")).toHaveLength(16);
    expect(issued.expiresAt.getTime() - now.getTime()).toBe(60_000);
    const verified = t.verifyLaunchTicket(issued.ticket, { now: at(59) });
    expect(verified).toEqual({ ok: true, claims: { ...binding, jti: issued.claims.jti, iat: issued.claims.iat, exp: issued.claims.exp, typ: "launch" } });
    expect(t.issueLaunchTicket(binding, { now }).claims.jti).not.toBe(issued.claims.jti);
    // A longer lifetime than 60 s is never issued.
    expect(t.issueLaunchTicket(binding, { now, ttlSeconds: 3600 }).claims.exp - now.getTime() / 1000).toBe(60);
  });

  it("refuses an expired ticket, and one claiming a lifetime over 60 s even with a valid signature", async () => {
    const digestKey = randomBytes(32);
    const t = await load({ TOKEN_DIGEST_KEY: digestKey.toString("base64") });
    const { ticket } = t.issueLaunchTicket(binding, { now, ttlSeconds: 10 });
    expect(t.verifyLaunchTicket(ticket, { now: at(9) }).ok).toBe(true);
    expect(t.verifyLaunchTicket(ticket, { now: at(10) })).toEqual({ ok: false, reason: "expired" });
    const key = Buffer.from(hkdfSync("sha256", digestKey, Buffer.alloc(0), "stint launch ticket v1", 32));
    const long = reencode(ticket, (c) => void (c.exp = (c.iat as number) + 3600), key);
    expect(t.verifyLaunchTicket(long, { now: at(1) })).toEqual({ ok: false, reason: "expired" });
    const future = reencode(ticket, (c) => void ((c.iat = (c.iat as number) + 600), (c.exp = (c.iat as number) + 30)), key);
    expect(t.verifyLaunchTicket(future, { now: at(1) })).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a tampered payload or signature, and a ticket signed under another key", async () => {
    const vars = { TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") };
    const t = await load(vars);
    const { ticket } = t.issueLaunchTicket(binding, { now });
    const [payload, signature] = ticket.split(".") as [string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === "A" ? "B" : "A") + signature.at(-1);
    expect(t.verifyLaunchTicket(`${payload}.${flipped}`, { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(t.verifyLaunchTicket(reencode(ticket, (c) => void (c.grantId = "grt_other")), { now })).toEqual({ ok: false, reason: "bad_signature" });
    expect(t.verifyLaunchTicket(`${payload}.${signature.slice(0, 20)}`, { now })).toEqual({ ok: false, reason: "bad_signature" });
    const other = await load({ TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") });
    expect(other.verifyLaunchTicket(ticket, { now })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a validly signed ticket of another type", async () => {
    const digestKey = randomBytes(32);
    const t = await load({ TOKEN_DIGEST_KEY: digestKey.toString("base64") });
    const key = Buffer.from(hkdfSync("sha256", digestKey, Buffer.alloc(0), "stint launch ticket v1", 32));
    const { ticket } = t.issueLaunchTicket(binding, { now });
    expect(t.verifyLaunchTicket(reencode(ticket, (c) => void (c.typ = "session"), key), { now })).toEqual({ ok: false, reason: "wrong_type" });
    // Extra claims are not tolerated either.
    expect(t.verifyLaunchTicket(reencode(ticket, (c) => void (c.admin = true), key), { now })).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses malformed input without throwing", async () => {
    const t = await load({ TOKEN_DIGEST_KEY: randomBytes(32).toString("base64") });
    for (const bad of [undefined, 42, "", "abc", "a.b.c", "not base64!.sig", `${"a".repeat(3000)}.b`]) {
      expect(t.verifyLaunchTicket(bad, { now })).toMatchObject({ ok: false });
    }
    expect(t.verifyLaunchTicket("e30.x", { now })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("derives its key from the first ENCRYPTION_KEYS key when TOKEN_DIGEST_KEY is unset, never the raw key", async () => {
    const raw = randomBytes(32);
    const t = await load({ TOKEN_DIGEST_KEY: undefined, ENCRYPTION_KEYS: `k1:${raw.toString("base64")}` });
    const { ticket } = t.issueLaunchTicket(binding, { now });
    const [payload, signature] = ticket.split(".") as [string, string];
    expect(createHmac("sha256", raw).update(payload).digest("base64url")).not.toBe(signature);
    const derived = Buffer.from(hkdfSync("sha256", raw, Buffer.alloc(0), "stint launch ticket v1", 32));
    expect(createHmac("sha256", derived).update(payload).digest("base64url")).toBe(signature);
    expect(t.verifyLaunchTicket(ticket, { now }).ok).toBe(true);
  });
});
