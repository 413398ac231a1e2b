import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { TenantSnapshot } from "@/emulator/control/control";
import { AppError } from "@/lib/errors";
import {
  consentedTenant,
  createTenant,
  emulatorUrl,
  inspectTenant,
  registerApp,
  requestLog,
  setConsent,
  setMisbehaviour,
  uniqueLabel,
} from "@/test/entra";
import { cloudConfig, type CloudConfig } from "./clouds";
import { EntraError } from "./errors";
import { graphFor, type NewGraphUser } from "./graph";
import { acquireAppToken } from "./msal";
import { requiredGraphPermissions } from "./permissions";
import { GLOBAL_ADMINISTRATOR } from "./role-catalog";

const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const PASSWORD = "xWwvJ]6NMw+bWH-d";

let cloud: CloudConfig;
let tenant: TenantSnapshot;
let domain: string;
let customDomain: string;

beforeAll(async () => {
  cloud = cloudConfig("microsoft");
  const label = uniqueLabel("graph");
  domain = `${label}.onmicrosoft.com`;
  customDomain = `${label}.example.com`;
  tenant = await consentedTenant("Graph", {
    displayName: "Graph Test Ltd",
    domains: [domain, { name: customDomain, isVerified: true, isDefault: true }, { name: `pending.${label}.example.com`, isVerified: false }],
    users: [{ userPrincipalName: `admin@${domain}`, displayName: "Tenant Admin", roles: ["Global Administrator"] }],
  });
});

function newUser(localPart: string, extra: Partial<NewGraphUser> = {}): NewGraphUser {
  return {
    accountEnabled: true,
    displayName: `JIT ${localPart}`,
    mailNickname: localPart,
    userPrincipalName: `${localPart}@${domain}`,
    usageLocation: "US",
    passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
    ...extra,
  };
}

/** Awaits a promise that must reject with an EntraError; returns it. */
async function entraError(promise: Promise<unknown>): Promise<EntraError> {
  const error = await promise.then(
    () => {
      throw new Error("expected an EntraError, but the call resolved");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EntraError);
  expect(error).toBeInstanceOf(AppError);
  expect((error as EntraError).code).toBe("upstream_failed");
  return error as EntraError;
}

/** The Graph requests the emulator logged for one tenant after `since` (ISO time), as "METHOD path status". */
async function graphCalls(tenantId: string, since: string) {
  const log = await requestLog({ tenantId, surface: "graph" });
  return log.filter((e) => e.at >= since);
}

describe("Graph reads", () => {
  it("getOrganization returns the tenant's id, name and verified domains", async () => {
    const org = await graphFor(cloud, tenant.id).getOrganization();
    expect(org.id).toBe(tenant.id);
    expect(org.displayName).toBe("Graph Test Ltd");
    expect(org.verifiedDomains.map((d) => d.name).sort()).toEqual([customDomain, domain].sort());
    expect(org.verifiedDomains.find((d) => d.isDefault)?.name).toBe(customDomain);
  });

  it("listDomains returns every domain with its verification and default flags", async () => {
    const domains = await graphFor(cloud, tenant.id).listDomains();
    expect(domains.map((d) => [d.id, d.isVerified, d.isDefault]).sort()).toEqual(
      [
        [domain, true, false],
        [customDomain, true, true],
        [`pending.${domain.replace(".onmicrosoft.com", "")}.example.com`, false, false],
      ].sort(),
    );
  });

  it("listRoleDefinitions returns the built-in role catalog", async () => {
    const roles = await graphFor(cloud, tenant.id).listRoleDefinitions();
    expect(roles.length).toBeGreaterThanOrEqual(20);
    expect(roles.find((r) => r.templateId === GLOBAL_ADMINISTRATOR)).toMatchObject({ displayName: "Global Administrator", isBuiltIn: true, isEnabled: true });
    expect(roles.every((r) => r.id && r.templateId && r.displayName)).toBe(true);
  });
});

describe("Graph user lifecycle", () => {
  it("create, get, find, update, revoke, role assignment, soft and permanent delete", async () => {
    const graph = graphFor(cloud, tenant.id);
    const tag = uniqueLabel("stint-jit");
    const created = await graph.createUser(newUser("jit.lifecycle", { employeeType: tag, employeeId: "grant-1" }));
    expect(created).toMatchObject({ userPrincipalName: `jit.lifecycle@${domain}`, displayName: "JIT jit.lifecycle" });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    expect(await graph.getUser(created.id)).toMatchObject({ id: created.id, accountEnabled: true, employeeType: tag, employeeId: "grant-1" });
    expect((await graph.getUser(`jit.lifecycle@${domain}`)).id).toBe(created.id);

    const found = await graph.findUsers(`employeeType eq '${tag}'`);
    expect(found.map((u) => u.id)).toEqual([created.id]);
    expect(await graph.findUsers(`employeeType eq '${tag}-none'`)).toEqual([]);

    await graph.updateUser(created.id, { displayName: "JIT renamed", accountEnabled: false });
    expect(await graph.getUser(created.id)).toMatchObject({ displayName: "JIT renamed", accountEnabled: false });

    expect(await graph.revokeSignInSessions(created.id)).toMatchObject({ value: true });
    expect((await inspectTenant(tenant.id)).revocations.map((r) => r.userId)).toContain(created.id);

    const assignment = await graph.createRoleAssignment(created.id, EXCHANGE_ADMINISTRATOR);
    expect(assignment).toMatchObject({ principalId: created.id, roleDefinitionId: EXCHANGE_ADMINISTRATOR, directoryScopeId: "/" });
    expect((await graph.listRoleAssignmentsOf(created.id)).map((a) => a.id)).toEqual([assignment.id]);
    await graph.deleteRoleAssignment(assignment.id);
    expect(await graph.listRoleAssignmentsOf(created.id)).toEqual([]);

    await graph.deleteUser(created.id);
    const gone = await entraError(graph.getUser(created.id));
    expect(gone).toMatchObject({ entraCode: "Request_ResourceNotFound", httpStatus: 404 });
    expect((await inspectTenant(tenant.id)).deletedUsers.map((u) => u.id)).toContain(created.id);

    await graph.permanentlyDeleteUser(created.id);
    const after = await inspectTenant(tenant.id);
    expect(after.deletedUsers.map((u) => u.id)).not.toContain(created.id);
    expect(after.users.map((u) => u.id)).not.toContain(created.id);
  });
});

describe("Graph errors", () => {
  it("a duplicate UPN is Request_BadRequest (400) with Graph's message", async () => {
    const graph = graphFor(cloud, tenant.id);
    await graph.createUser(newUser("jit.duplicate"));
    const error = await entraError(graph.createUser(newUser("jit.duplicate")));
    expect(error).toMatchObject({ entraCode: "Request_BadRequest", httpStatus: 400 });
    expect(error.message).toMatch(/userPrincipalName already exists/i);
  });

  it("an unknown user is Request_ResourceNotFound (404)", async () => {
    const error = await entraError(graphFor(cloud, tenant.id).getUser(randomUUID()));
    expect(error).toMatchObject({ entraCode: "Request_ResourceNotFound", httpStatus: 404 });
  });

  it("app-only calls cannot delete a user holding a privileged role: Authorization_RequestDenied (403)", async () => {
    const graph = graphFor(cloud, tenant.id);
    const user = await graph.createUser(newUser("jit.privileged"));
    const assignment = await graph.createRoleAssignment(user.id, USER_ADMINISTRATOR);
    const error = await entraError(graph.deleteUser(user.id));
    expect(error).toMatchObject({ entraCode: "Authorization_RequestDenied", httpStatus: 403 });
    // Stint's expiry order (roles first) then works.
    await graph.deleteRoleAssignment(assignment.id);
    await graph.deleteUser(user.id);
  });
});

describe("Graph retry policy", () => {
  // Throttle quotas scaled to one resource unit (and one write) per window; the window scale sets Retry-After.
  const ONE_PER_WINDOW = 1 / 3500;

  it("a throttled GET waits out Retry-After and then succeeds", async () => {
    const t = await consentedTenant("Throttled GET");
    const graph = graphFor(cloud, t.id);
    await graph.getOrganization(); // the token is now cached; the next call measures only Graph
    await setMisbehaviour(t.id, { throttle: { quotaScale: ONE_PER_WINDOW, windowScale: 0.1 } }); // 1 RU / 1 s
    const since = new Date().toISOString();
    await graph.getOrganization(); // spends the only resource unit
    const started = performance.now();
    const org = await graph.getOrganization();
    const elapsed = performance.now() - started;
    expect(org.id).toBe(t.id);
    const calls = await graphCalls(t.id, since);
    const throttled = calls.filter((c) => c.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(calls.at(-1)).toMatchObject({ method: "GET", status: 200 });
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("a transient 503 on a GET is retried and succeeds", async () => {
    const t = await consentedTenant("Flaky GET");
    await setMisbehaviour(t.id, { faults: { next: 2, status: 503 } });
    const since = new Date().toISOString();
    const domains = await graphFor(cloud, t.id).listDomains();
    expect(domains.length).toBe(1);
    expect((await graphCalls(t.id, since)).map((c) => `${c.method} ${c.status}`)).toEqual(["GET 503", "GET 503", "GET 200"]);
  });

  it("a POST that gets a 503 is not replayed: the error surfaces after exactly one request", async () => {
    const t = await consentedTenant("Flaky POST");
    const graph = graphFor(cloud, t.id);
    await graph.getOrganization();
    await setMisbehaviour(t.id, { faults: { next: 1, status: 503 } });
    const since = new Date().toISOString();
    const upn = `jit.once@${t.domains[0]!.id}`;
    const error = await entraError(graph.createUser(newUser("jit.once", { userPrincipalName: upn })));
    expect(error).toMatchObject({ entraCode: "serviceNotAvailable", httpStatus: 503 });
    const posts = (await graphCalls(t.id, since)).filter((c) => c.method === "POST" && c.path === "/v1.0/users");
    expect(posts.map((c) => c.status)).toEqual([503]);
    expect((await inspectTenant(t.id)).users.map((u) => u.userPrincipalName)).not.toContain(upn);
  });

  it("a POST that gets a 429 is retried after Retry-After (it was not carried out)", async () => {
    const t = await consentedTenant("Throttled POST");
    const graph = graphFor(cloud, t.id);
    await graph.getOrganization();
    // One write per 1 s window (150 s × 1/150) for the app+tenant pair.
    await setMisbehaviour(t.id, { throttle: { quotaScale: ONE_PER_WINDOW, windowScale: 1 / 150 } });
    const since = new Date().toISOString();
    const d = t.domains[0]!.id;
    await graph.createUser(newUser("jit.first", { userPrincipalName: `jit.first@${d}` }));
    const started = performance.now();
    const second = await graph.createUser(newUser("jit.second", { userPrincipalName: `jit.second@${d}` }));
    const elapsed = performance.now() - started;
    expect(second.userPrincipalName).toBe(`jit.second@${d}`);
    const posts = (await graphCalls(t.id, since)).filter((c) => c.method === "POST" && c.path === "/v1.0/users");
    expect(posts.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(posts.filter((c) => c.status === 201).length).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(700);
    const users = (await inspectTenant(t.id)).users.map((u) => u.userPrincipalName);
    expect(users.filter((u) => u === `jit.second@${d}`)).toHaveLength(1);
  });
});

describe("MSAL app tokens", () => {
  it("the token is for the tenant and its roles are the consented permissions", async () => {
    const token = await acquireAppToken(cloud, tenant.id);
    expect(token.tenantId).toBe(tenant.id);
    expect([...token.roles].sort()).toEqual([...requiredGraphPermissions].sort());
    expect(token.expiresOn!.getTime()).toBeGreaterThan(Date.now());
  });

  it("a partial consent shows in the token's roles", async () => {
    const t = await consentedTenant("Partial", {}, { roles: ["User.ReadWrite.All", "Organization.Read.All"] });
    expect((await acquireAppToken(cloud, t.id)).roles.sort()).toEqual(["Organization.Read.All", "User.ReadWrite.All"]);
  });

  it("a tenant without admin consent is AADSTS7000229, explained as missing admin consent", async () => {
    const t = await createTenant("Unconsented");
    const error = await entraError(acquireAppToken(cloud, t.id));
    expect(error.entraCode).toBe("AADSTS7000229");
    expect(error.message).toMatch(/admin consent/i);
    expect(error.message).toContain("AADSTS7000229");
    expect(error.message).not.toMatch(/Trace ID/i);
  });

  it("an unknown tenant is AADSTS90002", async () => {
    const error = await entraError(acquireAppToken(cloud, randomUUID()));
    expect(error.entraCode).toBe("AADSTS90002");
    expect(error.message).toMatch(/tenant was not found/i);
  });

  it("a wrong client secret is explained as a rejected client secret (AADSTS7000215)", async () => {
    // Its own app registration: MSAL apps are cached per authority host and client id.
    const app = await registerApp({ displayName: "Stint (wrong secret)", requiredPermissions: [...requiredGraphPermissions] });
    const t = await consentedTenant("Wrong secret", {}, {});
    await setConsent(t.id, { granted: true }, app.clientId);
    const error = await entraError(acquireAppToken({ ...cloud, clientId: app.clientId, clientSecret: "not-the-secret" }, t.id));
    expect(error.entraCode).toBe("AADSTS7000215");
    expect(error.message).toMatch(/client secret was rejected/i);
    expect(error.message).toContain("ENTRA_CLIENT_SECRET");
  });

  it("tokens are cached until skipCache: a revoked consent shows only on a fresh request", async () => {
    const t = await consentedTenant("Revoked");
    const first = await acquireAppToken(cloud, t.id);
    await setConsent(t.id, { granted: false });
    expect((await acquireAppToken(cloud, t.id)).accessToken).toBe(first.accessToken);
    const error = await entraError(acquireAppToken(cloud, t.id, { skipCache: true }));
    expect(error.entraCode).toBe("AADSTS7000229");
  });

  it("the emulator is reached through ENTRA_AUTHORITY_HOST with knownAuthorities set", () => {
    expect(cloud.authorityHost).toBe(new URL(emulatorUrl()).origin);
    expect(cloud.knownAuthorities).toEqual([new URL(emulatorUrl()).host]);
  });
});
