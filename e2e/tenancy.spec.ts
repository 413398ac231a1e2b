import { expect, test, type APIRequestContext } from "@playwright/test";
import { closeDb } from "@/db/client";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { operationUrl } from "@/lib/api/operation";
import { operationList, operations, type OperationId } from "@/lib/api/operations";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { createInvite } from "@/lib/services/invites/create";
import { createAccessHook } from "@/lib/services/hooks/create";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { linkPsaCompany } from "@/lib/services/psa/link-company";
import { savePsaConnection } from "@/lib/services/psa/save";
import { createEndpoint } from "@/lib/services/notifications/create-endpoint";
import { createTeam } from "@/lib/services/teams/create";
import { createToken } from "@/lib/services/tokens/create";
import { approvePairing } from "@/lib/services/extension-pairings/approve";
import { lookupPairing } from "@/lib/services/extension-pairings/lookup";
import { startPairing } from "@/lib/services/extension-pairings/start";
import { contextFor, inviteMember, seedMspDirectly, testRequest, steppedUpContext, type TestMsp } from "@/test/factories";
import { visit } from "./support/visit";

/**
 * Two MSPs in one database: MSP B's owner, signed in, calls every operation that takes ids with MSP A's.
 * Each answer must be "not found" (or B's own data), never A's data, and A must be unchanged.
 * The check at the end fails when an operation is added to the registry without a case here.
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
let aEndpointId: string;
let aPairing: { id: string; userCode: string };
let aPolicyId: string;
let aHookId: string;
let aPsaId: string;

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
  aPolicyId = (await createAccessPolicy(ctx, { name: "Alpha policy", customerId: aCustomerId, approval: "always" })).id;
  const admin = contextFor(a.owner, { stepUp: "fresh" });
  aPsaId = (await savePsaConnection(admin, { name: "Alpha Halo", settings: { kind: "halopsa", baseUrl: "https://alpha.halopsa.example", clientId: "alpha", clientSecret: "alpha-secret" } })).id;
  await linkPsaCompany(ctx, aPsaId, { customerId: aCustomerId, companyId: "12", companyName: "Alpha Customer" });
  aHookId = (await createAccessHook(admin, aPolicyId, { kind: "psa_ticket", name: "Alpha tickets", psaConnectionId: aPsaId })).hook.id;
  aDelegationId = (await createDelegation(ctx, { memberId: aTechnicianId, customerId: aCustomerId, accessLevelIds: [aLevelId], maxDurationMinutes: 60 })).id;
  aEndpointId = (await createEndpoint(contextFor(a.owner, { stepUp: "fresh" }), { kind: "email", name: "Alpha desk", emailTo: ["desk@alpha.example"], events: ["grant.active"] })).endpoint.id;
  aTokenId = (await createToken(await steppedUpContext(a.owner), { name: "Alpha automation", scopes: ["grants:read"], expiresInDays: 30 })).id;
  // An extension pairing A's owner approved: B can neither see nor answer it.
  const { userCode } = await startPairing({ deviceLabel: "Alpha's browser" }, testRequest);
  aPairing = { id: (await lookupPairing(contextFor(a.owner), { userCode })).id, userCode };
  await approvePairing(await steppedUpContext(a.owner), aPairing.id);
  aGrantId = newId("grant");
  const now = new Date();
  await systemTxBypassingRls((tx) =>
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

type Case = { op: OperationId; params?: () => Record<string, string>; body?: unknown | (() => unknown); expect: number };
const cases: Case[] = [
  { op: "changeMemberRole", params: () => ({ memberId: aTechnicianId }), body: { role: "admin" }, expect: 404 },
  { op: "disableMember", params: () => ({ memberId: aTechnicianId }), expect: 404 },
  { op: "enableMember", params: () => ({ memberId: aTechnicianId }), expect: 404 },
  { op: "reissueMemberInvite", params: () => ({ memberId: aTechnicianId }), expect: 404 },
  { op: "revokeInvite", params: () => ({ inviteId: aInviteId }), expect: 404 },
  { op: "renamePasskey", params: () => ({ passkeyId: a.owner.passkeyId }), body: { name: "pwned" }, expect: 404 },
  { op: "removePasskey", params: () => ({ passkeyId: a.owner.passkeyId }), expect: 404 },
  { op: "endSession", params: () => ({ sessionId: a.owner.session.sessionId }), expect: 404 },
  { op: "renameCustomer", params: () => ({ customerId: aCustomerId }), body: { name: "pwned" }, expect: 404 },
  { op: "archiveCustomer", params: () => ({ customerId: aCustomerId }), body: { archived: true }, expect: 404 },
  { op: "updateCustomerSettings", params: () => ({ customerId: aCustomerId }), body: settingsBody, expect: 404 },
  { op: "setCustomerAccessLevel", params: () => ({ customerId: aCustomerId, accessLevelId: aLevelId }), body: { enabled: false }, expect: 404 },
  { op: "disconnectCustomer", params: () => ({ customerId: aCustomerId }), expect: 404 },
  { op: "startCustomerConnection", params: () => ({ customerId: aCustomerId }), expect: 404 },
  { op: "updateAccessLevel", params: () => ({ accessLevelId: aLevelId }), body: { name: "pwned", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] }, expect: 404 },
  { op: "archiveAccessLevel", params: () => ({ accessLevelId: aLevelId }), expect: 404 },
  { op: "removeTeam", params: () => ({ teamId: aTeamId }), expect: 404 },
  { op: "setTeamMembership", params: () => ({ teamId: aTeamId }), body: () => ({ memberId: b.owner.id, inTeam: true }), expect: 404 },
  { op: "removeDelegation", params: () => ({ delegationId: aDelegationId }), expect: 404 },
  { op: "createDelegation", body: () => ({ memberId: aTechnicianId, customerId: aCustomerId, accessLevelIds: [aLevelId], maxDurationMinutes: 60 }), expect: 404 },
  { op: "requestGrant", body: () => ({ customerId: aCustomerId, accessLevelIds: [aLevelId], durationMinutes: 30, justification: "Trying another MSP's customer" }), expect: 404 },
  { op: "getGrant", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "getGrantEvidence", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "endGrant", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "revokeGrant", params: () => ({ grantId: aGrantId }), body: { reason: "Cross-tenant attempt" }, expect: 404 },
  { op: "extendGrant", params: () => ({ grantId: aGrantId }), body: { minutes: 30 }, expect: 404 },
  { op: "revealCredential", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "retryRevocation", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "createAccessPolicy", body: () => ({ name: "pwned", customerId: aCustomerId, accessLevelId: aLevelId }), expect: 404 },
  { op: "updateAccessPolicy", params: () => ({ policyId: aPolicyId }), body: { name: "pwned" }, expect: 404 },
  { op: "removeAccessPolicy", params: () => ({ policyId: aPolicyId }), expect: 404 },
  { op: "listAccessHooks", params: () => ({ policyId: aPolicyId }), expect: 404 },
  { op: "createAccessHook", params: () => ({ policyId: aPolicyId }), body: { kind: "webhook", name: "pwned", events: ["authenticate"], url: "https://evil.example/hook" }, expect: 404 },
  { op: "updateAccessHook", params: () => ({ hookId: aHookId }), body: { enabled: false }, expect: 404 },
  { op: "removeAccessHook", params: () => ({ hookId: aHookId }), expect: 404 },
  { op: "checkPsaConnection", params: () => ({ connectionId: aPsaId }), expect: 404 },
  { op: "removePsaConnection", params: () => ({ connectionId: aPsaId }), expect: 404 },
  { op: "listPsaCompanies", params: () => ({ connectionId: aPsaId }), expect: 404 },
  { op: "linkPsaCompany", params: () => ({ connectionId: aPsaId }), body: () => ({ customerId: aCustomerId, companyId: "666", companyName: "pwned" }), expect: 404 },
  { op: "unlinkPsaCompany", params: () => ({ connectionId: aPsaId, customerId: aCustomerId }), expect: 404 },
  { op: "approveGrant", params: () => ({ grantId: aGrantId }), body: {}, expect: 404 },
  { op: "denyGrant", params: () => ({ grantId: aGrantId }), body: { reason: "Cross-tenant attempt" }, expect: 404 },
  { op: "reviewEmergencyGrant", params: () => ({ grantId: aGrantId }), body: {}, expect: 404 },
  { op: "cancelGrantRequest", params: () => ({ grantId: aGrantId }), expect: 404 },
  { op: "previewKillSwitch", body: () => ({ customerId: aCustomerId, reason: "Cross-tenant attempt" }), expect: 404 },
  { op: "pullKillSwitch", body: () => ({ customerId: aCustomerId, reason: "Cross-tenant attempt" }), expect: 404 },
  { op: "getCustomer", params: () => ({ customerId: aCustomerId }), expect: 404 },
  { op: "getMyAccess", params: () => ({ customerId: aCustomerId }), expect: 404 },
  { op: "getCustomerStatementPdf", params: () => ({ customerId: aCustomerId }), expect: 404 },
  { op: "revokeToken", params: () => ({ tokenId: aTokenId }), expect: 404 },
  { op: "updateNotificationEndpoint", params: () => ({ endpointId: aEndpointId }), body: { enabled: false }, expect: 404 },
  { op: "removeNotificationEndpoint", params: () => ({ endpointId: aEndpointId }), expect: 404 },
  { op: "rotateNotificationSecret", params: () => ({ endpointId: aEndpointId }), body: {}, expect: 404 },
  { op: "sendTestNotification", params: () => ({ endpointId: aEndpointId }), expect: 404 },
  { op: "listNotificationDeliveries", params: () => ({ endpointId: aEndpointId }), expect: 404 },
  // A pairing answered by another MSP looks exactly like an unknown one.
  { op: "lookupExtensionPairing", body: () => ({ userCode: aPairing.userCode }), expect: 404 },
  { op: "approveExtensionPairing", params: () => ({ pairingId: aPairing.id }), expect: 410 },
  { op: "denyExtensionPairing", params: () => ({ pairingId: aPairing.id }), expect: 410 },
];
// Operations that take no id of another MSP: scoped to the caller's own MSP by construction, checked below.
const ownScope: OperationId[] = [
  "getMe", "listCustomers", "listAccessLevels", "listGrants", "exportGrants", "listAuditEvents", "exportAuditEvents", "listTokens", "createToken", "revokeCurrentToken",
  "evaluatePolicy", "createInvite", "createCustomer", "addSandboxCustomer", "createAccessLevel", "createTeam", "completeEntraConsent",
  "startAddPasskey", "completeAddPasskey", "signOut", "startStepUp", "completeStepUp", "listAccessPolicies", "listApprovals",
  "listNotificationEndpoints", "createNotificationEndpoint", "getNotificationSettings", "updateNotificationSettings",
  "getMyNotificationPreferences", "updateMyNotificationPreferences", "updateMyTimeZone", "listPsaConnections", "savePsaConnection", "listMembers",
];
// Operations only an access token may call: the API suite covers them with another MSP's token.
const tokenOnly: OperationId[] = ["issueLaunchTicket", "redeemLaunchTicket"];

for (const c of cases) {
  const op = operations[c.op];
  test(`${op.method} ${op.path} (${c.op}) with another MSP's id is not found`, async ({ request }) => {
    // Recovery and disable need a fresh step-up; B's session has one (sign-in counts), so refusal must come from scoping.
    const res = await asB(request, op.method, operationUrl(op, c.params?.()), typeof c.body === "function" ? c.body() : c.body);
    expect(res.status()).toBe(c.expect);
    expect(await res.text()).not.toContain("alpha");
  });
}

test("MSP A is unchanged after MSP B's attempts, and B's lists show only B", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "stint_session", value: b.owner.session.token, url: baseURL! }]);
  await visit(page, "/members");
  const table = page.getByTestId("members-table");
  await expect(table).toContainText(b.owner.email);
  await expect(table).not.toContainText(a.owner.email);
  await expect(page.getByText("pending@alpha.example")).toHaveCount(0);
  const list = await (await asB(page.request, "GET", operationUrl(operations.listGrants, {}, { scope: "all" }))).json();
  expect(list.items).toEqual([]);
  const people = await (await asB(page.request, "GET", operationUrl(operations.listMembers))).json();
  expect(people.items.map((m: { email: string }) => m.email)).toContain(b.owner.email);
  expect(JSON.stringify(people)).not.toContain(a.owner.email);
  for (const op of [operations.listAccessPolicies, operations.listApprovals, operations.listPsaConnections]) expect((await (await asB(page.request, "GET", operationUrl(op))).json()).items).toEqual([]);
  const csv = await (await asB(page.request, "GET", operationUrl(operations.exportAuditEvents))).text();
  expect(csv).not.toContain(a.owner.email);
  expect(csv).not.toContain(a.mspId);
  // A's customer's monthly statement page is not found for B, like its PDF.
  expect((await visit(page, `/customers/${aCustomerId}/statement`))?.status()).toBe(404);
  await expect(page.getByText("Alpha Customer")).toHaveCount(0);
  const grantsCsv = await asB(page.request, "GET", operationUrl(operations.exportGrants, {}, { scope: "all", customerId: aCustomerId }));
  expect(grantsCsv.status()).toBe(200);
  expect((await grantsCsv.text()).trim().split("\n")).toHaveLength(1);

  await context.clearCookies();
  await context.addCookies([{ name: "stint_session", value: a.owner.session.token, url: baseURL! }]);
  await visit(page, "/members");
  await expect(page.getByTestId(`member-${a.owner.email}`)).toContainText("Active");
  await expect(page.getByTestId("members-table")).toContainText("Technician");
  await expect(page.getByTestId("invites-table")).toContainText("pending@alpha.example");
  await visit(page, "/account");
  await expect(page.getByTestId("passkeys-table")).toContainText("Seeded passkey");
});

test("every operation that takes a caller's ids is covered by this suite", () => {
  const covered = new Set<string>([...cases.map((c) => c.op), ...ownScope, ...tokenOnly]);
  // Public operations run before anyone is signed in and take no MSP id (setup, sign-in, invite token, health).
  expect(operationList.filter((op) => op.auth !== "public" && !covered.has(op.id)).map((op) => op.id)).toEqual([]);
});
