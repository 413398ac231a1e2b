import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { closeDb } from "@/db/client";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { createInvite } from "@/lib/services/invites/create";
import { createTeam } from "@/lib/services/teams/create";
import { createToken } from "@/lib/services/tokens/create";
import { approvePairing } from "@/lib/services/extension-pairings/approve";
import { lookupPairing } from "@/lib/services/extension-pairings/lookup";
import { startPairing } from "@/lib/services/extension-pairings/start";
import { contextFor, inviteMember, seedMspDirectly, testRequest, steppedUpContext, type TestMsp } from "@/test/factories";

/**
 * Two MSPs in one database: MSP B's owner, signed in, calls every console route with MSP A's ids.
 * Each answer must be "not found" (or B's own data), never A's data, and A must be unchanged.
 * The route inventory at the end fails when a route is added without a case here.
 */
let a: TestMsp;
let b: TestMsp;
let aTechnicianId: string;
let aInviteId: string;
let aCustomerId: string;
let aLevelId: string;
let aTeamId: string;
let aDelegationId: string;
let aGrantId: string;
let aTokenId: string;
let aPairing: { id: string; userCode: string };

test.beforeAll(async () => {
  a = await seedMspDirectly({ mspName: "Alpha IT" });
  b = await seedMspDirectly({ mspName: "Bravo IT" });
  aTechnicianId = (await inviteMember(a.owner, "technician")).id;
  aInviteId = (await createInvite(contextFor(a.owner), { email: "pending@alpha.example", displayName: "Pending", role: "auditor" })).invite.id;
  const ctx = contextFor(a.owner);
  aCustomerId = (await createCustomer(ctx, { name: "Alpha Customer" })).id;
  aLevelId = (await createAccessLevel(ctx, { name: "Alpha Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] })).id;
  await setAccessLevelForCustomer(ctx, aCustomerId, aLevelId, { enabled: true });
  aTeamId = (await createTeam(ctx, { name: "Alpha Team" })).id;
  aDelegationId = (await createDelegation(ctx, { memberId: aTechnicianId, customerId: aCustomerId, accessLevelIds: [aLevelId], maxDurationMinutes: 60 })).id;
  aTokenId = (await createToken(await steppedUpContext(a.owner), { name: "Alpha automation", scopes: ["grants:read"], expiresInDays: 30 })).id;
  // An extension pairing A's owner approved: B can neither see nor answer it.
  const { userCode } = await startPairing({ deviceLabel: "Alpha's browser" }, testRequest);
  aPairing = { id: (await lookupPairing(contextFor(a.owner), { userCode })).id, userCode };
  await approvePairing(await steppedUpContext(a.owner), aPairing.id);
  aGrantId = newId("grant");
  const now = new Date();
  await withSystemTx((tx) =>
    tx.insert(grants).values({
      id: aGrantId, mspId: a.mspId, customerId: aCustomerId, memberId: aTechnicianId, state: "active",
      accessLevelIds: [aLevelId], roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"], expiryActions: ["remove_roles", "disable"],
      durationMinutes: 60, justification: "Alpha's own work", startAt: now, usableFrom: now, endsAt: new Date(now.getTime() + 3_600_000),
      upn: "stint-alpha@alpha.example", displayName: "Stint JIT admin (Alpha)", entraTenantId: "00000000-0000-4000-8000-000000000001",
    }),
  );
});

test.afterAll(async () => {
  await closeDb();
});

async function asB(request: APIRequestContext, method: string, url: string, data?: unknown) {
  return request.fetch(url, {
    method,
    data,
    headers: { cookie: `stint_session=${b.owner.session.token}`, origin: new URL(test.info().project.use.baseURL!).origin },
  });
}

const settingsBody = {
  upnDomain: null,
  namingTemplate: "pwn-{grant}",
  defaultDurationMinutes: 60,
  maxDurationMinutes: 120,
  usageLocation: "US",
  expiryActions: ["remove_roles", "disable"],
  consentText: null,
};

type Case = { route: string; method: string; url: () => string; body?: unknown | (() => unknown); expect: number };
const cases: Case[] = [
  { route: "members/[memberId]", method: "PATCH", url: () => `/api/members/${aTechnicianId}`, body: { role: "admin" }, expect: 404 },
  { route: "members/[memberId]/disable", method: "POST", url: () => `/api/members/${aTechnicianId}/disable`, expect: 404 },
  { route: "members/[memberId]/enable", method: "POST", url: () => `/api/members/${aTechnicianId}/enable`, expect: 404 },
  { route: "members/[memberId]/recovery", method: "POST", url: () => `/api/members/${aTechnicianId}/recovery`, expect: 404 },
  { route: "members/invites/[inviteId]", method: "DELETE", url: () => `/api/members/invites/${aInviteId}`, expect: 404 },
  { route: "account/passkeys/[passkeyId]", method: "PATCH", url: () => `/api/account/passkeys/${encodeURIComponent(a.owner.passkeyId)}`, body: { name: "pwned" }, expect: 404 },
  { route: "account/passkeys/[passkeyId]", method: "DELETE", url: () => `/api/account/passkeys/${encodeURIComponent(a.owner.passkeyId)}`, expect: 404 },
  { route: "account/sessions/[sessionId]", method: "DELETE", url: () => `/api/account/sessions/${a.owner.session.sessionId}`, expect: 404 },
  { route: "customers/[customerId]", method: "PATCH", url: () => `/api/customers/${aCustomerId}`, body: { name: "pwned" }, expect: 404 },
  { route: "customers/[customerId]/archive", method: "POST", url: () => `/api/customers/${aCustomerId}/archive`, body: { archived: true }, expect: 404 },
  { route: "customers/[customerId]/settings", method: "PUT", url: () => `/api/customers/${aCustomerId}/settings`, body: settingsBody, expect: 404 },
  { route: "customers/[customerId]/access-levels/[accessLevelId]", method: "PUT", url: () => `/api/customers/${aCustomerId}/access-levels/${aLevelId}`, body: { enabled: false }, expect: 404 },
  { route: "customers/[customerId]/connection", method: "DELETE", url: () => `/api/customers/${aCustomerId}/connection`, expect: 404 },
  { route: "customers/[customerId]/connection/start", method: "POST", url: () => `/api/customers/${aCustomerId}/connection/start`, expect: 404 },
  { route: "access-levels/[accessLevelId]", method: "PUT", url: () => `/api/access-levels/${aLevelId}`, body: { name: "pwned", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] }, expect: 404 },
  { route: "access-levels/[accessLevelId]", method: "DELETE", url: () => `/api/access-levels/${aLevelId}`, expect: 404 },
  { route: "teams/[teamId]", method: "DELETE", url: () => `/api/teams/${aTeamId}`, expect: 404 },
  { route: "teams/[teamId]/members", method: "PUT", url: () => `/api/teams/${aTeamId}/members`, body: () => ({ memberId: b.owner.id, inTeam: true }), expect: 404 },
  { route: "delegations/[delegationId]", method: "DELETE", url: () => `/api/delegations/${aDelegationId}`, expect: 404 },
  { route: "grants", method: "POST", url: () => "/api/grants", body: () => ({ customerId: aCustomerId, accessLevelIds: [aLevelId], durationMinutes: 30, justification: "Trying another MSP's customer" }), expect: 404 },
  { route: "grants/[grantId]", method: "GET", url: () => `/api/grants/${aGrantId}`, expect: 404 },
  { route: "grants/[grantId]/end", method: "POST", url: () => `/api/grants/${aGrantId}/end`, expect: 404 },
  { route: "grants/[grantId]/revoke", method: "POST", url: () => `/api/grants/${aGrantId}/revoke`, expect: 404 },
  { route: "grants/[grantId]/extend", method: "POST", url: () => `/api/grants/${aGrantId}/extend`, body: { minutes: 30 }, expect: 404 },
  { route: "grants/[grantId]/credential", method: "POST", url: () => `/api/grants/${aGrantId}/credential`, expect: 404 },
  { route: "grants/[grantId]/retry-revocation", method: "POST", url: () => `/api/grants/${aGrantId}/retry-revocation`, expect: 404 },
  { route: "kill-switch", method: "POST", url: () => "/api/kill-switch", body: () => ({ customerId: aCustomerId, reason: "Cross-tenant attempt" }), expect: 404 },
  { route: "customers/[customerId]/my-access", method: "GET", url: () => `/api/customers/${aCustomerId}/my-access`, expect: 404 },
  { route: "tokens/[tokenId]", method: "DELETE", url: () => `/api/tokens/${aTokenId}`, expect: 404 },
  { route: "delegations", method: "POST", url: () => "/api/delegations", body: () => ({ memberId: aTechnicianId, customerId: aCustomerId, accessLevelIds: [aLevelId], maxDurationMinutes: 60 }), expect: 404 },
  // A pairing answered by another MSP looks exactly like an unknown one.
  { route: "extension-pairings/lookup", method: "POST", url: () => "/api/extension-pairings/lookup", body: () => ({ userCode: aPairing.userCode }), expect: 404 },
  { route: "extension-pairings/[pairingId]/approve", method: "POST", url: () => `/api/extension-pairings/${aPairing.id}/approve`, expect: 410 },
  { route: "extension-pairings/[pairingId]/deny", method: "POST", url: () => `/api/extension-pairings/${aPairing.id}/deny`, expect: 410 },
];
// Routes that take no id of another MSP: scoped to the caller's own MSP by construction, checked below.
const ownScope = ["tokens", "members/invites", "audit/export", "customers", "customers/sandbox", "access-levels", "teams", "entra/consent/callback", "account/passkeys/options", "account/passkeys/verify", "auth/sign-out", "auth/step-up/options", "auth/step-up/verify"];
// Routes used before anyone is signed in; they take no MSP id (setup, sign-in, invite token, health).
const publicRoutes = ["tokens/report", "setup/options", "setup/verify", "auth/sign-in/options", "auth/sign-in/verify", "invites/describe", "invites/options", "invites/verify", "health"];

for (const c of cases) {
  test(`${c.method} /api/${c.route} with another MSP's id is not found`, async ({ request }) => {
    // Recovery and disable need a fresh step-up; B's session has one (sign-in counts), so refusal must come from scoping.
    const res = await asB(request, c.method, c.url(), typeof c.body === "function" ? c.body() : c.body);
    expect(res.status()).toBe(c.expect);
    expect(await res.text()).not.toContain("alpha");
  });
}

test("MSP A is unchanged after MSP B's attempts, and B's lists show only B", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "stint_session", value: b.owner.session.token, url: baseURL! }]);
  await page.goto("/members");
  const table = page.getByTestId("members-table");
  await expect(table).toContainText(b.owner.email);
  await expect(table).not.toContainText(a.owner.email);
  await expect(page.getByText("pending@alpha.example")).toHaveCount(0);
  const list = await (await asB(page.request, "GET", "/api/grants?all=1&scope=all")).json();
  expect(list.grants).toEqual([]);
  const csv = await (await asB(page.request, "GET", "/api/audit/export")).text();
  expect(csv).not.toContain(a.owner.email);
  expect(csv).not.toContain(a.mspId);

  await context.clearCookies();
  await context.addCookies([{ name: "stint_session", value: a.owner.session.token, url: baseURL! }]);
  await page.goto("/members");
  await expect(page.getByTestId(`member-${a.owner.email}`)).toContainText("Active");
  await expect(page.getByTestId("members-table")).toContainText("Technician");
  await expect(page.getByTestId("invites-table")).toContainText("pending@alpha.example");
  await page.goto("/account");
  await expect(page.getByTestId("passkeys-table")).toContainText("Seeded passkey");
});

test("every console route is covered by this suite", () => {
  const apiDir = path.join(process.cwd(), "app", "api");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      // /api/v1 has its own suite (app/api/v1/api.int.test.ts), derived from the OpenAPI document.
      if (statSync(full).isDirectory()) { if (full !== path.join(apiDir, "v1")) walk(full); }
      else if (name === "route.ts") found.push(path.relative(apiDir, dir));
    }
  };
  walk(apiDir);
  const covered = new Set([...cases.map((c) => c.route), ...ownScope, ...publicRoutes]);
  expect(found.filter((r) => !covered.has(r)).sort()).toEqual([]);
});
