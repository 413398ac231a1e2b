import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as pollRoute } from "@/app/api/v1/extension/pairings/poll/route";
import { POST as startRoute } from "@/app/api/v1/extension/pairings/route";
import { closeDb } from "@/db/client";
import { apiTokens, extensionPairings, msps } from "@/db/schema";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { appOrigin, env } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { getRedis } from "@/lib/redis";
import { listMyGrants } from "@/lib/services/grants/list";
import { authenticateToken } from "@/lib/services/tokens/authenticate";
import { listAllTokens, listOwnTokens } from "@/lib/services/tokens/list";
import { revokeToken } from "@/lib/services/tokens/revoke";
import { bearer, freshIp, requestFrom } from "@/lib/services/tokens/test-helpers";
import { tokenDigest } from "@/lib/tokens/digest";
import { parseToken } from "@/lib/tokens/format";
import { contextFor, expectAppError, inviteMember, lastAudit, seedMspDirectly, steppedUpContext, type TestMember, type TestMsp } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { jitReadyCustomer } from "@/test/grants";
import { approvePairing } from "./approve";
import { denyPairing } from "./deny";
import { LOOKUP_LIMIT, lookupPairing } from "./lookup";
import { collectApprovedPairing, POLL_PACE, pollPairing } from "./poll";

afterAll(closeDb);

let msp: TestMsp;
let other: TestMsp;
let technician: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Pairing MSP" });
  other = await seedMspDirectly({ mspName: "Pairing other MSP" });
  technician = await inviteMember(msp.owner, "technician");
});

// Most tests look codes up as the same members; only the rate-limit test counts its lookups.
beforeEach(async () => {
  await getRedis().del(...[technician, other.owner].map((m) => `${env.QUEUE_PREFIX}:rl:${LOOKUP_LIMIT.name}:${m.id}`));
});

const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

type Answer = { status: number; json: Record<string, unknown> & { error?: { code: string; field?: string } }; headers: Headers };

async function callRoute(handler: typeof startRoute, path: string, body: unknown): Promise<Answer> {
  const req = new NextRequest(`http://localhost:3000/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: freshIp(), "user-agent": CHROME_UA, origin: "chrome-extension://abcdefghijklmnopabcdefghijklmnop" },
    body: JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve({}) });
  return { status: res.status, json: (await res.json()) as Answer["json"], headers: res.headers };
}

type Started = { deviceCode: string; userCode: string; verificationUri: string; expiresIn: number; interval: number };

async function start(deviceLabel = "Chrome on Linux"): Promise<Started> {
  const res = await callRoute(startRoute, "/extension/pairings", { deviceLabel });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as unknown as Started;
}

/** Forgets the poll pace of a device code, so a test can poll again without waiting out the interval. */
async function forgetPace(deviceCode: string) {
  await getRedis().del(`${env.QUEUE_PREFIX}:rl:${POLL_PACE.name}:${tokenDigest(deviceCode)}`);
}

async function poll(deviceCode: string, options: { keepPace?: boolean } = {}): Promise<Answer> {
  if (!options.keepPace) await forgetPace(deviceCode);
  return callRoute(pollRoute, "/extension/pairings/poll", { deviceCode });
}

async function pairingRow(deviceCode: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(extensionPairings).where(eq(extensionPairings.deviceCodeDigest, tokenDigest(deviceCode))));
  return row!;
}

/** Start, look up and approve as `member` (fresh step-up): an approved pairing waiting to be collected. */
async function approved(member: TestMember = technician, label?: string) {
  const started = await start(label);
  const pending = await lookupPairing(contextFor(member), { userCode: started.userCode });
  await approvePairing(await steppedUpContext(member), pending.id);
  return { started, pairingId: pending.id };
}

describe("pairing the browser extension", () => {
  it("start → pending → approve with a fresh step-up → the token, once → then 410", async () => {
    const started = await start();
    expect(started).toMatchObject({ expiresIn: 600, interval: 5, verificationUri: `${appOrigin}/extension/connect` });
    expect(started.deviceCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    // No link with the code in it: the member types the code their extension shows.
    expect(started).not.toHaveProperty("verificationUriComplete");

    const row = await pairingRow(started.deviceCode);
    expect(row).toMatchObject({ status: "pending", mspId: null, memberId: null, deviceLabel: "Chrome on Linux", userAgent: CHROME_UA });
    expect(row.deviceCodeDigest).not.toContain(started.deviceCode);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(600_000);

    expect((await poll(started.deviceCode)).json).toEqual({ status: "pending" });

    // The member types it in lower case and without the dash.
    const pending = await lookupPairing(contextFor(technician), { userCode: started.userCode.replace("-", "").toLowerCase() });
    // The address the server saw when the pairing started, beside the member's own.
    expect(row.createdIp).toBeTruthy();
    expect(pending).toMatchObject({ id: row.id, userCode: started.userCode, deviceLabel: "Chrome on Linux", browser: "Chrome 131 on Linux", requestedFrom: row.createdIp, yourAddress: contextFor(technician).request.ip });

    await expectAppError(approvePairing(contextFor(technician), pending.id), "step_up_required");
    await expectAppError(approvePairing(contextFor(technician, { stepUp: "stale" }), pending.id), "step_up_required");
    // The sign-in's own assertion is fresh, but was not made for this approval.
    await expectAppError(approvePairing(contextFor(technician, { stepUp: "fresh" }), pending.id), "step_up_required");
    expect((await poll(started.deviceCode)).json).toEqual({ status: "pending" });
    const steppedUp = await steppedUpContext(technician);
    await approvePairing(steppedUp, pending.id);
    // Used up: the same step-up approves nothing else.
    const another = await lookupPairing(contextFor(technician), { userCode: (await start()).userCode });
    await expectAppError(approvePairing(steppedUp, another.id), "step_up_required");
    expect(await lastAudit("extension.pairing_approved", row.id)).toMatchObject({ actorId: technician.id, mspId: msp.mspId });

    const collected = await poll(started.deviceCode);
    expect(collected.status).toBe(200);
    const answer = collected.json as { status: string; token: string; tokenId: string; expiresAt: string; member: unknown; mspName: string };
    expect(answer).toMatchObject({ status: "approved", member: { email: technician.email, displayName: technician.displayName }, mspName: msp.mspName });
    expect(parseToken(answer.token)).toEqual({ type: "extension" });
    expect(new Date(answer.expiresAt).getTime() - Date.now()).toBeGreaterThan(30 * 86_400_000 - 60_000);
    expect(new Date(answer.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);

    // The token works, as its owner, with exactly the extension's scopes.
    const principal = await authenticateToken(bearer(answer.token), requestFrom());
    expect(principal.actor).toMatchObject({ memberId: technician.id, scopes: ["grants:read", "credentials:read"], customerIds: null });
    expect(principal.token).toMatchObject({ id: answer.tokenId, type: "extension", name: "Browser extension (Chrome on Linux)" });
    await expect(listMyGrants(principal)).resolves.toEqual([]);

    expect(await pairingRow(started.deviceCode)).toMatchObject({ status: "completed", tokenId: answer.tokenId, mspId: msp.mspId, memberId: technician.id });
    expect(await lastAudit("extension.paired", row.id)).toMatchObject({ actorId: technician.id, metadata: expect.objectContaining({ tokenId: answer.tokenId }) });
    expect((await lastAudit("token.created", answer.tokenId))?.metadata).toMatchObject({ type: "extension", pairingId: row.id, scopes: ["grants:read", "credentials:read"] });

    const again = await poll(started.deviceCode);
    expect(again.status).toBe(410);
    expect(again.json.error).toMatchObject({ code: "gone", message: expect.stringMatching(/start pairing again/i) });
  });

  it("two concurrent collections of one approval: exactly one token", async () => {
    const { started, pairingId } = await approved();
    const row = await pairingRow(started.deviceCode);
    const outcomes = await Promise.allSettled([collectApprovedPairing(row, requestFrom()), collectApprovedPairing(row, requestFrom())]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(["gone"]);
    const tokenId = (await pairingRow(started.deviceCode)).tokenId!;
    expect(await systemTxBypassingRls((tx) => tx.select().from(apiTokens).where(eq(apiTokens.id, tokenId)))).toHaveLength(1);
    expect((await poll(started.deviceCode)).status).toBe(410);
    expect(pairingId).toBe(row.id);
  });

  it("two concurrent polls after approval: one token, the other is paced or gone", async () => {
    const { started } = await approved();
    await forgetPace(started.deviceCode);
    const [a, b] = await Promise.all([poll(started.deviceCode, { keepPace: true }), poll(started.deviceCode, { keepPace: true })]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([410, 429]).toContain(statuses[1]);
  });

  it("deny: 403 pairing_denied to the extension, no token, audited", async () => {
    const started = await start();
    const pending = await lookupPairing(contextFor(technician), { userCode: started.userCode });
    await denyPairing(contextFor(technician), pending.id); // no step-up needed to say no
    const res = await poll(started.deviceCode);
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe("pairing_denied");
    expect(await pairingRow(started.deviceCode)).toMatchObject({ status: "denied", tokenId: null, mspId: msp.mspId });
    expect(await lastAudit("extension.pairing_denied", pending.id)).toMatchObject({ actorId: technician.id });
    // Answered once: approving it afterwards is refused.
    await expectAppError(approvePairing(contextFor(technician, { stepUp: "fresh" }), pending.id), "gone");
    await expectAppError(lookupPairing(contextFor(technician), { userCode: started.userCode }), "not_found");
  });

  it("expiry: 410 to the extension; the code can no longer be looked up or approved; cleanup deletes it", async () => {
    const started = await start();
    const pending = await lookupPairing(contextFor(technician), { userCode: started.userCode });
    await systemTxBypassingRls((tx) => tx.update(extensionPairings).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(extensionPairings.id, pending.id)));
    expect((await poll(started.deviceCode)).status).toBe(410);
    await expectAppError(lookupPairing(contextFor(technician), { userCode: started.userCode }), "not_found");
    await expectAppError(approvePairing(contextFor(technician, { stepUp: "fresh" }), pending.id), "gone");

    const { cleanupExpired } = await import("@/lib/services/sessions/cleanup");
    expect((await cleanupExpired()).extensionPairings).toBeGreaterThanOrEqual(1);
    expect(await systemTxBypassingRls((tx) => tx.select().from(extensionPairings).where(eq(extensionPairings.id, pending.id)))).toEqual([]);
  });

  it("an approval not collected before expiry gives no token", async () => {
    const { started, pairingId } = await approved();
    await systemTxBypassingRls((tx) => tx.update(extensionPairings).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(extensionPairings.id, pairingId)));
    expect((await poll(started.deviceCode)).status).toBe(410);
    expect((await pairingRow(started.deviceCode)).tokenId).toBeNull();
  });

  it("polling faster than the interval: 429 slow_down with Retry-After", async () => {
    const started = await start();
    expect((await poll(started.deviceCode)).status).toBe(200);
    const fast = await poll(started.deviceCode, { keepPace: true });
    expect(fast.status).toBe(429);
    expect(fast.json.error?.code).toBe("slow_down");
    expect(Number(fast.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(fast.headers.get("retry-after"))).toBeLessThanOrEqual(5);
  });

  it("wrong and garbage device codes: 410 for anything that is not a live pairing, 422 for what is not even a code", async () => {
    for (const deviceCode of ["x", "A".repeat(43), "not a device code at all!", "ste_" + "a".repeat(38)]) {
      const res = await poll(deviceCode);
      expect(res.status, deviceCode).toBe(410);
    }
    expect((await poll("")).json.error).toMatchObject({ code: "validation_failed", field: "deviceCode" });
    expect((await poll("q".repeat(5000))).json.error).toMatchObject({ code: "validation_failed", field: "deviceCode" });
    const noBody = await callRoute(pollRoute, "/extension/pairings/poll", {});
    expect(noBody.status).toBe(422);
    expect(noBody.json.error?.field).toBe("deviceCode");
    const unnamed = await callRoute(startRoute, "/extension/pairings", {});
    expect(unnamed.status).toBe(201);
    expect((await pairingRow(unnamed.json.deviceCode as string)).deviceLabel).toBeNull();
    const longLabel = await callRoute(startRoute, "/extension/pairings", { deviceLabel: "x".repeat(101) });
    expect(longLabel.json.error).toMatchObject({ code: "validation_failed", field: "deviceLabel" });
  });

  it("looking up codes is rate limited per member; malformed codes are refused naming the field", async () => {
    const guesser = await inviteMember(msp.owner, "technician");
    await expectValidation(lookupPairing(contextFor(guesser), { userCode: "1234-5678" }), "userCode", /8-letter code/);
    for (let i = 0; i < LOOKUP_LIMIT.points; i++) {
      await expectAppError(lookupPairing(contextFor(guesser), { userCode: "BBBB-BBB" + "CDFGHJKLMN"[i] }), "not_found");
    }
    const limited = await expectAppError(lookupPairing(contextFor(guesser), { userCode: "BBBB-BBBB" }), "rate_limited");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // Another member is not affected.
    const started = await start();
    await expect(lookupPairing(contextFor(technician), { userCode: started.userCode })).resolves.toMatchObject({ userCode: started.userCode });
  });

  it("an access token cannot look up, approve or deny a pairing", async () => {
    const { started } = await approved();
    const token = (await poll(started.deviceCode)).json.token as string;
    const principal = await authenticateToken(bearer(token), requestFrom());
    const next = await start();
    await expectAppError(lookupPairing(principal, { userCode: next.userCode }), "forbidden");
    const pending = await lookupPairing(contextFor(technician), { userCode: next.userCode });
    await expectAppError(approvePairing(principal, pending.id), "forbidden");
    await expectAppError(denyPairing(principal, pending.id), "forbidden");
  });

  it("RLS: a pending pairing is visible to system transactions only; an answered one only to its MSP", async () => {
    const started = await start();
    const row = await pairingRow(started.deviceCode);
    for (const mspId of [msp.mspId, other.mspId]) {
      expect(await withMspTx(mspId, (tx) => tx.select().from(extensionPairings).where(eq(extensionPairings.id, row.id)))).toEqual([]);
    }
    const pending = await lookupPairing(contextFor(technician), { userCode: started.userCode });
    await approvePairing(await steppedUpContext(technician), pending.id);
    expect(await withMspTx(msp.mspId, (tx) => tx.select().from(extensionPairings).where(eq(extensionPairings.id, row.id)))).toHaveLength(1);
    expect(await withMspTx(other.mspId, (tx) => tx.select().from(extensionPairings).where(eq(extensionPairings.id, row.id)))).toEqual([]);
    // The other MSP's member can neither find the code nor answer the pairing.
    await expectAppError(lookupPairing(contextFor(other.owner), { userCode: started.userCode }), "not_found");
    await expectAppError(denyPairing(contextFor(other.owner), row.id), "gone");
    await expectAppError(approvePairing(contextFor(other.owner, { stepUp: "fresh" }), row.id), "gone");
    // …nor move it to their MSP from their own transaction.
    expect(
      await withMspTx(other.mspId, (tx) => tx.update(extensionPairings).set({ status: "denied" }).where(eq(extensionPairings.id, row.id)).returning()),
    ).toEqual([]);
    expect((await pairingRow(started.deviceCode)).status).toBe("approved");
  });

  it("the token shows in the token lists and revoking it there stops it", async () => {
    const { started } = await approved(technician, "Firefox on macOS");
    const answer = (await poll(started.deviceCode)).json as { token: string; tokenId: string };
    const own = await listOwnTokens(contextFor(technician));
    expect(own.tokens.find((t) => t.id === answer.tokenId)).toMatchObject({ type: "extension", name: "Browser extension (Firefox on macOS)", status: "active" });
    const all = await listAllTokens(contextFor(msp.owner));
    expect(all.find((t) => t.id === answer.tokenId)).toMatchObject({ ownerEmail: technician.email });

    await revokeToken(contextFor(msp.owner), answer.tokenId);
    await expectAppError(authenticateToken(bearer(answer.token), requestFrom()), "unauthorized");
  });

  it("any role may pair; the token lives no longer than the MSP's token limit", async () => {
    const auditor = await inviteMember(msp.owner, "auditor");
    await systemTxBypassingRls((tx) => tx.update(msps).set({ tokenMaxDays: 7 }).where(eq(msps.id, msp.mspId)));
    try {
      const { started } = await approved(auditor);
      const answer = (await poll(started.deviceCode)).json as { token: string; expiresAt: string };
      const days = (new Date(answer.expiresAt).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);
      const principal = await authenticateToken(bearer(answer.token), requestFrom());
      expect(principal.actor).toMatchObject({ memberId: auditor.id, role: "auditor" });
    } finally {
      await systemTxBypassingRls((tx) => tx.update(msps).set({ tokenMaxDays: 90 }).where(eq(msps.id, msp.mspId)));
    }
  });

  it("the token lists the owner's live grants, with customer and access level names", async () => {
    const ready = await jitReadyCustomer(other);
    const { requestGrant } = await import("@/lib/services/grants/request");
    await requestGrant(contextFor(ready.technician), { customerId: ready.customer.id, accessLevelIds: [ready.level.id], durationMinutes: 60, justification: "Pairing suite grant" });
    const { started } = await approved(ready.technician);
    await forgetPace(started.deviceCode);
    const answer = (await pollPairing({ deviceCode: started.deviceCode }, requestFrom())) as { token: string };
    const principal = await authenticateToken(bearer(answer.token), requestFrom());
    const grants = await listMyGrants(principal);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ customerName: ready.customer.name, accessLevels: [{ id: ready.level.id, name: ready.level.name }] });
    const tokens = await withMspTx(other.mspId, (tx) => tx.select().from(apiTokens).where(and(eq(apiTokens.memberId, ready.technician.id), eq(apiTokens.type, "extension"))));
    expect(tokens).toHaveLength(1);
  });
});
