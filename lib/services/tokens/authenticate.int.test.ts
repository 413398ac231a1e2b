import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { listAuditEvents } from "@/lib/services/audit/list";
import { createCustomer } from "@/lib/services/customers/create";
import { getCustomer } from "@/lib/services/customers/get";
import { listCustomers } from "@/lib/services/customers/list";
import { createDelegation } from "@/lib/services/delegations/create";
import { changeMemberRole } from "@/lib/services/members/change-role";
import { disableMember } from "@/lib/services/members/disable";
import { enableMember } from "@/lib/services/members/enable";
import { generateToken } from "@/lib/tokens/format";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, steppedUpContext, type TestMember, type TestMsp } from "@/test/factories";
import { FAILURE_FLOOR_MS, TOKEN_AUTH_LIMITS, TOUCH_EVERY_MS, authenticateToken } from "./authenticate";
import { createToken } from "./create";
import { basic, bearer, freshIp, newToken, requestFrom, setTokenRow, tokenRow } from "./test-helpers";

afterAll(closeDb);

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

let msp: TestMsp;
let admin: TestMember;
let technician: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Token auth MSP" });
  admin = await inviteMember(msp.owner, "admin");
  technician = await inviteMember(msp.owner, "technician");
});

const ownerCtx = (stepUp: "fresh" | "none" = "none") => contextFor(msp.owner, { stepUp });

async function failuresOf(tokenId: string) {
  return systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "token.auth_failed"), eq(auditEvents.targetId, tokenId)))
      .orderBy(desc(auditEvents.seq)),
  );
}

/** Awaits a refusal and returns the error and how long it took. */
async function refusal(promise: Promise<unknown>, code: "unauthorized" | "rate_limited" = "unauthorized") {
  const started = performance.now();
  const error = await expectAppError(promise, code);
  return { error, ms: performance.now() - started };
}

describe("authenticating with a token", () => {
  it("accepts Bearer and Basic (the owner's email as username), with the owner's current role", async () => {
    const created = await newToken(technician, { scopes: ["grants:read", "grants:write"] });
    const viaBearer = await authenticateToken(bearer(created.token), requestFrom());
    expect(viaBearer).toMatchObject({
      mspId: msp.mspId,
      steppedUpAt: null,
      actor: { type: "token", tokenId: created.id, memberId: technician.id, role: "technician", label: technician.email, scopes: ["grants:read", "grants:write"], customerIds: null },
      token: { id: created.id, type: "personal", name: "Test token" },
    });
    const viaBasic = await authenticateToken(basic(technician.email, created.token), requestFrom());
    expect(viaBasic.actor.tokenId).toBe(created.id);
    // Schemes and email addresses are case-insensitive.
    await authenticateToken(`bearer ${created.token}`, requestFrom());
    await authenticateToken(basic(technician.email.toUpperCase(), created.token), requestFrom());
  });

  it("refuses a wrong username in Basic with the same 401, audited in the token's MSP", async () => {
    const created = await newToken(technician);
    const wrong = await refusal(authenticateToken(basic(admin.email, created.token), requestFrom()));
    const unknown = await refusal(authenticateToken(bearer(generateToken("personal")), requestFrom()));
    expect(wrong.error.message).toBe(unknown.error.message);
    await refusal(authenticateToken(basic("", created.token), requestFrom()));
    const [event] = await failuresOf(created.id);
    expect(event).toMatchObject({ mspId: msp.mspId, actorType: "anonymous", result: "failure", reason: "wrong_username", metadata: { owner: technician.id } });
  });

  it("refuses garbage, unknown, expired, revoked and disabled-owner tokens alike, each after the floor", async () => {
    const owner = await inviteMember(msp.owner, "technician");
    const expired = await newToken(technician);
    await setTokenRow(expired.id, { expiresAt: new Date(Date.now() - 1) });
    const revoked = await newToken(technician);
    await setTokenRow(revoked.id, { revokedAt: new Date(), revokeReason: "owner" });
    const ownersToken = await newToken(owner);
    await authenticateToken(bearer(ownersToken.token), requestFrom());
    await disableMember(ownerCtx("fresh"), owner.id);

    const flipped = `${expired.token.slice(0, 10)}${expired.token[10] === "A" ? "B" : "A"}${expired.token.slice(11)}`;
    const cases = {
      missing: authenticateToken(null, requestFrom()),
      otherScheme: authenticateToken(`Token ${expired.token}`, requestFrom()),
      garbage: authenticateToken(bearer("stp_not-a-token"), requestFrom()),
      badChecksum: authenticateToken(bearer(flipped), requestFrom()),
      unknown: authenticateToken(bearer(generateToken("personal")), requestFrom()),
      expired: authenticateToken(bearer(expired.token), requestFrom()),
      revoked: authenticateToken(bearer(revoked.token), requestFrom()),
      ownerDisabled: authenticateToken(bearer(ownersToken.token), requestFrom()),
    };
    const results = await Promise.all(Object.values(cases).map((p) => refusal(p)));
    const messages = new Set(results.map((r) => r.error.message));
    expect(messages.size).toBe(1);
    for (const r of results) {
      expect(r.error.status).toBe(401);
      expect(r.ms).toBeGreaterThanOrEqual(FAILURE_FLOOR_MS - 5);
    }
    expect((await failuresOf(expired.id))[0]).toMatchObject({ reason: "expired" });
    expect((await failuresOf(revoked.id))[0]).toMatchObject({ reason: "revoked" });
    // Disabling the owner revoked the token for good: enabling the owner again does not bring it back.
    expect((await failuresOf(ownersToken.id))[0]).toMatchObject({ reason: "revoked" });
    await enableMember(ownerCtx("fresh"), owner.id);
    expect((await refusal(authenticateToken(bearer(ownersToken.token), requestFrom()))).error.status).toBe(401);
  });

  it("never takes the token from the URL", async () => {
    const created = await newToken(technician);
    await expectAppError(
      authenticateToken(bearer(created.token), { ...requestFrom(), url: `https://stint.test/api/v1/grants?access_token=${created.token}` }),
      "bad_request",
    );
    await authenticateToken(bearer(created.token), { ...requestFrom(), url: "https://stint.test/api/v1/grants?scope=live" });
  });

  it("accepts only the token types asked for", async () => {
    const extension = await createToken(await steppedUpContext(technician), { name: "Extension", scopes: ["credentials:read"], expiresInDays: 30 }, { type: "extension" });
    expect(extension.token).toMatch(/^ste_/);
    expect((await authenticateToken(bearer(extension.token), requestFrom())).token.type).toBe("extension");
    await refusal(authenticateToken(bearer(extension.token), requestFrom(), { accept: ["personal"] }));
  });

  it("writes last-used time and address at most every 5 minutes", async () => {
    const created = await newToken(technician);
    const first = freshIp();
    await authenticateToken(bearer(created.token), requestFrom(first));
    const afterFirst = await tokenRow(created.id);
    expect(afterFirst).toMatchObject({ lastUsedIp: first, lastUsedAt: expect.any(Date) });
    await authenticateToken(bearer(created.token), requestFrom());
    expect(await tokenRow(created.id)).toMatchObject({ lastUsedIp: first, lastUsedAt: afterFirst.lastUsedAt });
    await setTokenRow(created.id, { lastUsedAt: new Date(Date.now() - TOUCH_EVERY_MS - 1000) });
    const third = freshIp();
    await authenticateToken(bearer(created.token), requestFrom(third));
    const afterThird = await tokenRow(created.id);
    expect(afterThird.lastUsedIp).toBe(third);
    expect(Date.now() - afterThird.lastUsedAt!.getTime()).toBeLessThan(30_000);
  });
});

describe("address allow-lists", () => {
  it("lets a token in only from its CIDR blocks, IPv4 and IPv6", async () => {
    const v6net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const created = await newToken(technician, { allowedCidrs: ["203.0.113.0/24", `${v6net}::/48`] });
    expect(created.allowedCidrs).toEqual(["203.0.113.0/24", `${v6net}::/48`]);
    await authenticateToken(bearer(created.token), requestFrom(freshIp(`${v6net}:1`)));
    await authenticateToken(bearer(created.token), requestFrom(`203.0.113.${1 + Math.floor(Math.random() * 250)}`));
    await authenticateToken(bearer(created.token), requestFrom(`::ffff:203.0.113.${1 + Math.floor(Math.random() * 250)}`));
    await refusal(authenticateToken(bearer(created.token), requestFrom(freshIp())));
    await refusal(authenticateToken(bearer(created.token), { ip: null, userAgent: null }));
    expect((await failuresOf(created.id))[0]).toMatchObject({ reason: "ip_not_allowed" });
  });
});

describe("effective rights: token scopes ∩ the owner's role now", () => {
  it("a technician's token with audit:read cannot read the audit log", async () => {
    const created = await newToken(technician, { scopes: ["audit:read"] });
    const principal = await authenticateToken(bearer(created.token), requestFrom());
    await expectAppError(listAuditEvents(principal, {}), "forbidden");
  });

  it("an admin's token needs the scope, and loses the right the moment the admin is demoted", async () => {
    const demoted = await inviteMember(msp.owner, "admin");
    const withScope = await newToken(demoted, { scopes: ["audit:read"] });
    const withoutScope = await newToken(demoted, { scopes: ["grants:read"] });
    await listAuditEvents(await authenticateToken(bearer(withScope.token), requestFrom()), { limit: 1 });
    await expectAppError(listAuditEvents(await authenticateToken(bearer(withoutScope.token), requestFrom()), {}), "forbidden");
    await changeMemberRole(ownerCtx("fresh"), demoted.id, { role: "technician" });
    const after = await authenticateToken(bearer(withScope.token), requestFrom());
    expect(after.actor.role).toBe("technician");
    await expectAppError(listAuditEvents(after, {}), "forbidden");
  });

  it("a customer restriction hides every other customer (visibleCustomers)", async () => {
    const ctx = ownerCtx();
    const x = await createCustomer(ctx, { name: `Restricted X ${Date.now()}` });
    const y = await createCustomer(ctx, { name: `Restricted Y ${Date.now()}` });
    const restricted = await newToken(admin, { scopes: ["customers:read"], customerIds: [x.id] });
    const unrestricted = await newToken(admin, { scopes: ["customers:read"] });
    const principal = await authenticateToken(bearer(restricted.token), requestFrom());
    expect(principal.actor.customerIds).toEqual([x.id]);
    expect((await listCustomers(principal)).map((c) => c.id)).toEqual([x.id]);
    expect((await getCustomer(principal, x.id)).customer.id).toBe(x.id);
    await expectAppError(getCustomer(principal, y.id), "not_found");
    const open = (await listCustomers(await authenticateToken(bearer(unrestricted.token), requestFrom()))).map((c) => c.id);
    expect(open).toEqual(expect.arrayContaining([x.id, y.id]));
  });

  it("a technician's token sees the delegated customers, narrowed by its restriction", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    const x = await createCustomer(ownerCtx(), { name: `Delegated X ${Date.now()}` });
    const y = await createCustomer(ownerCtx(), { name: `Delegated Y ${Date.now()}` });
    const level = await createAccessLevel(ownerCtx(), { name: `Token level ${Date.now()}`, roleTemplateIds: [USER_ADMINISTRATOR] });
    const before = await newToken(tech, { scopes: ["customers:read"] });
    expect(await listCustomers(await authenticateToken(bearer(before.token), requestFrom()))).toEqual([]);
    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    const all = (await listCustomers(await authenticateToken(bearer(before.token), requestFrom()))).map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([x.id, y.id]));
    const narrowed = await newToken(tech, { scopes: ["customers:read"], customerIds: [y.id] });
    expect((await listCustomers(await authenticateToken(bearer(narrowed.token), requestFrom()))).map((c) => c.id)).toEqual([y.id]);
  });
});

describe("failure limits", () => {
  it("answers 429 with Retry-After after N failures from one address, even for a valid token", async () => {
    const ip = freshIp();
    const valid = await newToken(technician);
    const { points } = TOKEN_AUTH_LIMITS.ip;
    await Promise.all(Array.from({ length: points }, () => refusal(authenticateToken(bearer(generateToken("personal")), requestFrom(ip)))));
    const blocked = await refusal(authenticateToken(bearer(valid.token), requestFrom(ip)), "rate_limited");
    expect(blocked.error.status).toBe(429);
    expect(blocked.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.error.retryAfterSeconds).toBeLessThanOrEqual(TOKEN_AUTH_LIMITS.ip.durationSeconds);
    // Another address is not affected.
    await authenticateToken(bearer(valid.token), requestFrom());
  });

  it("limits failures per presented token across addresses", async () => {
    const target = await newToken(technician);
    const { points } = TOKEN_AUTH_LIMITS.token;
    await Promise.all(Array.from({ length: points }, () => refusal(authenticateToken(basic("attacker@example.test", target.token), requestFrom()))));
    const blocked = await refusal(authenticateToken(bearer(target.token), requestFrom()), "rate_limited");
    expect(blocked.error).toBeInstanceOf(AppError);
    expect(blocked.error.retryAfterSeconds).toBeGreaterThan(0);
  });
});
