import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { msps } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { toErrorBody } from "@/lib/errors";
import { createCustomer } from "@/lib/services/customers/create";
import { generateToken, parseToken } from "@/lib/tokens/format";
import { tokenDigest } from "@/lib/tokens/digest";
import { STEP_UP_WINDOW_MS } from "@/lib/services/context";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, steppedUpContext, superuserSql, type TestMember, type TestMsp, lastAudit } from "@/test/factories";
import { authenticateToken } from "./authenticate";
import { createToken } from "./create";
import { listAllTokens, listOwnTokens } from "./list";
import { REPORT_FLOOR_MS, reportLeakedToken } from "./report-leaked";
import { revokeToken } from "./revoke";
import { bearer, newToken, requestFrom, setTokenRow, tokenRow } from "./test-helpers";

afterAll(closeDb);

let msp: TestMsp;
let other: TestMsp;
let admin: TestMember;
let technician: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Tokens MSP" });
  other = await seedMspDirectly({ mspName: "Tokens other MSP" });
  admin = await inviteMember(msp.owner, "admin");
  technician = await inviteMember(msp.owner, "technician");
});

describe("creating tokens", () => {
  it("needs a passkey step-up made for it after sign-in, and uses it up", async () => {
    const input = { name: "CI", scopes: ["grants:read"], expiresInDays: 7 };
    await expectAppError(createToken(contextFor(technician), input), "step_up_required");
    await expectAppError(createToken(contextFor(technician, { stepUp: "stale" }), input), "step_up_required");
    // The sign-in (here: joining) a moment ago is a fresh assertion, but not one made for this action.
    const signedIn = await resolveSession(technician.session.token);
    expect(Date.now() - signedIn!.steppedUpAt!.getTime()).toBeLessThan(STEP_UP_WINDOW_MS);
    await expectAppError(createToken(contextFor(technician, { stepUp: signedIn!.steppedUpAt! }), input), "step_up_required");
    const ctx = await steppedUpContext(technician);
    const created = await createToken(ctx, input);
    // One token per assertion: the same step-up does not make a second.
    await expectAppError(createToken(ctx, { ...input, name: "CI 2" }), "step_up_required");
    expect(parseToken(created.token)).toEqual({ type: "personal" });
    expect(created).toMatchObject({ name: "CI", scopes: ["grants:read"], hint: `stp_…${created.token.slice(-4)}`, customerIds: null, allowedCidrs: null });
    expect(created.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    const event = await lastAudit("token.created", created.id);
    expect(event).toMatchObject({ actorId: technician.id, result: "success", metadata: { scopes: ["grants:read"], hint: created.hint } });
  });

  it("stores only a keyed digest: the token appears in no column of any row, nor in the audit log", async () => {
    const created = await newToken(admin, { name: "Digest check", scopes: ["audit:read", "grants:read"], allowedCidrs: ["203.0.113.0/24"] });
    const random = created.token.slice(4, 36);
    const su = superuserSql();
    try {
      const [row] = await su<{ whole: string }[]>`select row_to_json(t)::text as whole from api_tokens t where id = ${created.id}`;
      expect(row!.whole).not.toContain(created.token);
      expect(row!.whole).not.toContain(random);
      const columns = await su<{ column_name: string }[]>`
        select column_name from information_schema.columns
        where table_name = 'api_tokens' and data_type in ('text', 'ARRAY', 'character varying')`;
      expect(columns.map((c) => c.column_name)).toContain("token_digest");
      for (const { column_name } of columns) {
        const hits = await su`select 1 from api_tokens where ${su(column_name)}::text like ${`%${random}%`}`;
        expect(hits, column_name).toHaveLength(0);
      }
      const audit = await su`select 1 from audit_events where row_to_json(audit_events)::text like ${`%${random}%`}`;
      expect(audit).toHaveLength(0);
    } finally {
      await su.end();
    }
    const stored = await tokenRow(created.id);
    expect(stored.tokenDigest).toBe(tokenDigest(created.token));
    expect(stored.tokenDigest).toMatch(/^[0-9a-f]{64}$/);
    const { tokens } = await listOwnTokens(contextFor(admin));
    expect(JSON.stringify(tokens)).not.toContain(random);
  });

  it("validates scopes, expiry against the MSP's maximum, customers and address blocks", async () => {
    // Refused input leaves the step-up unspent: one step-up serves every attempt up to the success.
    const ctx = await steppedUpContext(admin);
    const base = { name: "Valid", scopes: ["grants:read"], expiresInDays: 30 };
    const field = async (input: unknown) => toErrorBody(await createToken(ctx, input).catch((e: unknown) => e)).body.error;
    expect(await field({ ...base, scopes: ["grants:read", "root"] })).toMatchObject({ code: "validation_failed", field: "scopes.1" });
    expect(await field({ ...base, scopes: [] })).toMatchObject({ code: "validation_failed", field: "scopes" });
    expect(await field({ ...base, expiresInDays: 0 })).toMatchObject({ field: "expiresInDays" });
    expect(await field({ ...base, expiresInDays: 91 })).toMatchObject({ field: "expiresInDays", message: expect.stringMatching(/90 days/) });
    expect(await field({ ...base, allowedCidrs: ["10.0.0.0/8", "not-a-block"] })).toMatchObject({ field: "allowedCidrs" });
    expect(await field({ ...base, customerIds: ["cus_doesnotexist"] })).toMatchObject({ field: "customerIds" });
    expect(await field({ ...base, name: " " })).toMatchObject({ field: "name" });

    await systemTxBypassingRls((tx) => tx.update(msps).set({ tokenMaxDays: 7 }).where(eq(msps.id, msp.mspId)));
    try {
      expect(await field({ ...base, expiresInDays: 8 })).toMatchObject({ field: "expiresInDays", message: expect.stringMatching(/7 days/) });
      expect((await listOwnTokens(contextFor(admin))).maxDays).toBe(7);
      await createToken(ctx, { ...base, expiresInDays: 7 });
    } finally {
      await systemTxBypassingRls((tx) => tx.update(msps).set({ tokenMaxDays: 90 }).where(eq(msps.id, msp.mspId)));
    }
  });

  it("restricts to customers only the creator can see", async () => {
    const customer = await createCustomer(contextFor(msp.owner), { name: `Token customer ${Date.now()}` });
    // Technicians without a delegation see no customer, so cannot name one.
    await expectAppError(newToken(technician, { customerIds: [customer.id] }), "validation_failed");
    const created = await newToken(admin, { customerIds: [customer.id, customer.id] });
    expect(created.customerIds).toEqual([customer.id]);
    const { tokens } = await listOwnTokens(contextFor(admin));
    expect(tokens.find((t) => t.id === created.id)?.customers).toEqual([{ id: customer.id, name: customer.name }]);
    // Another MSP's customer does not exist for this MSP.
    const foreign = await createCustomer(contextFor(other.owner), { name: `Foreign customer ${Date.now()}` });
    await expectAppError(newToken(admin, { customerIds: [foreign.id] }), "validation_failed");
  });

  it("cannot be done with a token", async () => {
    const created = await newToken(admin, { scopes: ["tokens:manage"] });
    const principal = await authenticateToken(bearer(created.token), requestFrom());
    await expectAppError(createToken({ ...principal, steppedUpAt: new Date() }, { name: "x", scopes: ["grants:read"], expiresInDays: 1 }), "forbidden");
  });
});

describe("listing and revoking", () => {
  it("members list their own tokens; admins list every token of the MSP", async () => {
    const mine = await newToken(technician, { name: "Technician's" });
    const admins = await newToken(admin, { name: "Admin's" });
    const own = (await listOwnTokens(contextFor(technician))).tokens;
    expect(own.map((t) => t.id)).toContain(mine.id);
    expect(own.map((t) => t.id)).not.toContain(admins.id);
    expect(own.find((t) => t.id === mine.id)).toMatchObject({ status: "active", hint: mine.hint, lastUsedAt: null, scopes: ["grants:read"] });
    await expectAppError(listAllTokens(contextFor(technician)), "forbidden");
    const all = await listAllTokens(contextFor(admin));
    expect(all.map((t) => t.id)).toEqual(expect.arrayContaining([mine.id, admins.id]));
    expect(all.find((t) => t.id === mine.id)).toMatchObject({ ownerEmail: technician.email });
  });

  it("a member revokes their own token; it stops working at once", async () => {
    const created = await newToken(technician);
    await authenticateToken(bearer(created.token), requestFrom());
    await revokeToken(contextFor(technician), created.id);
    expect(await tokenRow(created.id)).toMatchObject({ revokeReason: "owner", revokedBy: technician.id, revokedAt: expect.any(Date) });
    await expectAppError(authenticateToken(bearer(created.token), requestFrom()), "unauthorized");
    expect((await listOwnTokens(contextFor(technician))).tokens.find((t) => t.id === created.id)?.status).toBe("revoked");
    expect(await lastAudit("token.revoked", created.id)).toMatchObject({ actorId: technician.id, metadata: { reason: "owner" } });
    // Revoking again changes nothing.
    await revokeToken(contextFor(technician), created.id);
  });

  it("members cannot revoke others' tokens (not found); admins can", async () => {
    const adminsToken = await newToken(admin);
    const techsToken = await newToken(technician);
    const otherTech = await inviteMember(msp.owner, "technician");
    await expectAppError(revokeToken(contextFor(otherTech), techsToken.id), "not_found");
    await expectAppError(revokeToken(contextFor(technician), adminsToken.id), "not_found");
    expect((await tokenRow(techsToken.id)).revokedAt).toBeNull();
    await revokeToken(contextFor(admin), techsToken.id);
    expect(await tokenRow(techsToken.id)).toMatchObject({ revokeReason: "admin", revokedBy: admin.id });
    await expectAppError(revokeToken(contextFor(admin), "tok_doesnotexist"), "not_found");
  });

  it("admins cannot revoke an owner's token; owners can revoke anyone's", async () => {
    const ownersToken = await newToken(msp.owner, { name: "Owner's" });
    await expectAppError(revokeToken(contextFor(admin), ownersToken.id), "forbidden");
    expect((await tokenRow(ownersToken.id)).revokedAt).toBeNull();
    // Not through an admin's token either.
    const adminToken = await newToken(admin, { scopes: ["tokens:manage"] });
    await expectAppError(revokeToken(await authenticateToken(bearer(adminToken.token), requestFrom()), ownersToken.id), "forbidden");
    const secondOwner = await inviteMember(msp.owner, "owner");
    await revokeToken(contextFor(secondOwner), ownersToken.id);
    expect(await tokenRow(ownersToken.id)).toMatchObject({ revokeReason: "admin", revokedBy: secondOwner.id });
    const adminsToken = await newToken(admin, { name: "Admin's" });
    await revokeToken(contextFor(msp.owner), adminsToken.id);
    expect((await tokenRow(adminsToken.id)).revokedAt).not.toBeNull();
  });

  it("through a token, listing and revoking need the tokens:manage scope", async () => {
    const victim = await newToken(technician);
    const weak = await newToken(admin, { scopes: ["grants:read"] });
    const strong = await newToken(admin, { scopes: ["tokens:manage"] });
    const weakCtx = await authenticateToken(bearer(weak.token), requestFrom());
    const strongCtx = await authenticateToken(bearer(strong.token), requestFrom());
    await expectAppError(listOwnTokens(weakCtx), "forbidden");
    await expectAppError(listAllTokens(weakCtx), "forbidden");
    await expectAppError(revokeToken(weakCtx, victim.id), "forbidden");
    expect((await listAllTokens(strongCtx)).map((t) => t.id)).toContain(victim.id);
    await revokeToken(strongCtx, victim.id);
    const event = await lastAudit("token.revoked", victim.id);
    expect(event).toMatchObject({ actorType: "token", actorId: admin.id, metadata: { viaToken: strong.id, reason: "admin" } });
  });

  it("expired tokens are listed as expired and refused", async () => {
    const created = await newToken(technician);
    await setTokenRow(created.id, { expiresAt: new Date(Date.now() - 1000) });
    expect((await listOwnTokens(contextFor(technician))).tokens.find((t) => t.id === created.id)?.status).toBe("expired");
    await expectAppError(authenticateToken(bearer(created.token), requestFrom()), "unauthorized");
  });
});

describe("across MSPs", () => {
  it("another MSP's admin can neither list nor revoke these tokens", async () => {
    const created = await newToken(admin);
    const otherAdmin = await inviteMember(other.owner, "admin");
    for (const who of [other.owner, otherAdmin]) {
      expect((await listAllTokens(contextFor(who))).map((t) => t.id)).not.toContain(created.id);
      expect((await listOwnTokens(contextFor(who))).tokens.map((t) => t.id)).not.toContain(created.id);
      await expectAppError(revokeToken(contextFor(who), created.id), "not_found");
    }
    expect((await tokenRow(created.id)).revokedAt).toBeNull();
  });

  it("a token of MSP B resolves into MSP B only, and sees none of MSP A", async () => {
    const bToken = await newToken(other.owner, { scopes: ["tokens:manage", "customers:read"] });
    const aToken = await newToken(admin);
    const principal = await authenticateToken(bearer(bToken.token), requestFrom());
    expect(principal.mspId).toBe(other.mspId);
    expect(principal.actor).toMatchObject({ type: "token", memberId: other.owner.id, role: "owner" });
    const listed = await listAllTokens(principal);
    expect(listed.map((t) => t.id)).toContain(bToken.id);
    expect(listed.map((t) => t.id)).not.toContain(aToken.id);
    await expectAppError(revokeToken(principal, aToken.id), "not_found");
    expect((await tokenRow(aToken.id)).revokedAt).toBeNull();
  });
});

describe("leaked-token reports", () => {
  it("revoke a live token and reveal nothing, with the same answer for anything", async () => {
    const live = await newToken(technician);
    const dead = await newToken(technician);
    await revokeToken(contextFor(technician), dead.id);
    const answers: { answer: unknown; ms: number }[] = [];
    for (const token of [live.token, dead.token, generateToken("personal"), "garbage", `${live.token.slice(0, -1)}x`]) {
      const started = performance.now();
      const answer = await reportLeakedToken({ token }, requestFrom());
      answers.push({ answer, ms: performance.now() - started });
    }
    for (const a of answers) {
      expect(a.answer).toEqual({ received: true });
      expect(a.ms).toBeGreaterThanOrEqual(REPORT_FLOOR_MS - 5);
    }
    expect(await tokenRow(live.id)).toMatchObject({ revokeReason: "leaked", revokedBy: null, revokedAt: expect.any(Date) });
    expect(await tokenRow(dead.id)).toMatchObject({ revokeReason: "owner" });
    const event = await lastAudit("token.leak_reported", live.id);
    expect(event).toMatchObject({ mspId: msp.mspId, actorType: "anonymous", result: "success", metadata: { owner: technician.id } });
    await expectAppError(authenticateToken(bearer(live.token), requestFrom()), "unauthorized");
  });

  it("refuse anything but { token }", async () => {
    for (const input of [{}, { token: 42 }, { token: "x".repeat(201) }]) {
      const { status } = toErrorBody(await reportLeakedToken(input, requestFrom()).catch((e: unknown) => e));
      expect(status).toBe(422);
    }
  });
});
