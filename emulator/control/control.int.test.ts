import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedSandbox } from "../sandbox";
import { startEmulator } from "../server";
import { createHttpsClient } from "../testing/https-client";
import { graphScope, newUserBody, startTestEmulator, type TestEmulator } from "../testing/harness";
import type { TenantSnapshot } from "./control";

describe("control API switched off", () => {
  it("answers 404 under /_emulator without testControl, while the in-process control still works", async () => {
    const emulator = await startEmulator();
    try {
      const http = createHttpsClient(await readFile(emulator.caCertPath, "utf8"));
      for (const [method, path] of [["GET", "/_emulator/tenants"], ["POST", "/_emulator/tenants"], ["POST", "/_emulator/reset"]] as const) {
        const response = await http(`${emulator.url}${path}`, { method, json: method === "POST" ? { displayName: "x" } : undefined });
        expect(response.status, path).toBe(404);
      }
      expect(emulator.control.createTenant({ displayName: "In process" }).domains[0]?.id).toBe("inprocess.onmicrosoft.com");
    } finally {
      await emulator.stop();
    }
  });
});

describe("control API", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  const control = (method: string, path: string, json?: unknown) => t.http(`${t.emulator.url}/_emulator${path}`, { method, json });

  it("sets up a tenant, an app and consent, then inspects users, assignments, revocations and the request log", async () => {
    const tenant = (
      await control("POST", "/tenants", {
        displayName: "Fabrikam",
        domains: ["fabrikam.onmicrosoft.com", { name: "fabrikam.example", isVerified: false }],
        users: [{ userPrincipalName: "admin@fabrikam.onmicrosoft.com", displayName: "Fabrikam Admin", roles: ["Global Administrator"] }],
      })
    ).json<{ id: string; domains: { id: string; isVerified: boolean; isDefault: boolean }[]; users: { roles: string[] }[] }>();
    expect(tenant.domains).toEqual([
      { id: "fabrikam.onmicrosoft.com", isVerified: true, isDefault: true, isInitial: true },
      { id: "fabrikam.example", isVerified: false, isDefault: false, isInitial: false },
    ]);
    expect(tenant.users[0]?.roles).toEqual(["62e90394-69f5-4237-9190-012177145e10"]);

    const app = (
      await control("POST", "/apps", {
        displayName: "Stint",
        secrets: [{ value: "s3cret-value" }],
        requiredPermissions: ["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"],
        redirectUris: ["https://stint.test/cb"],
      })
    ).json<{ clientId: string }>();
    const consent = await control("PUT", `/tenants/${tenant.id}/consents/${app.clientId}`, { granted: true });
    expect(consent.json()).toMatchObject({ servicePrincipal: { appId: app.clientId, roles: ["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"] } });

    const token = (
      await t.http(`${t.emulator.url}/${tenant.id}/oauth2/v2.0/token`, {
        form: { grant_type: "client_credentials", client_id: app.clientId, client_secret: "s3cret-value", scope: graphScope },
      })
    ).json<{ access_token: string }>().access_token;
    const auth = { authorization: `Bearer ${token}` };
    const created = (
      await t.http(`${t.emulator.url}/v1.0/users`, { json: newUserBody("fabrikam.onmicrosoft.com", "jit"), headers: auth })
    ).json<{ id: string }>();
    await t.http(`${t.emulator.url}/v1.0/users/${created.id}/revokeSignInSessions`, { method: "POST", headers: auth });

    const state = (await control("GET", `/tenants/${tenant.id}`)).json<{
      users: { userPrincipalName: string; password: string }[];
      roleAssignments: { roleDisplayName: string }[];
      revocations: { userId: string; at: string }[];
    }>();
    expect(state.users.map((u) => u.userPrincipalName)).toEqual(["admin@fabrikam.onmicrosoft.com", "jit@fabrikam.onmicrosoft.com"]);
    expect(state.users[1]?.password).toBe("xWwvJ]6NMw+bWH-d");
    expect(state.roleAssignments.map((a) => a.roleDisplayName)).toEqual(["Global Administrator"]);
    expect(state.revocations).toEqual([expect.objectContaining({ userId: created.id })]);

    const log = (await control("GET", `/requests?tenantId=${tenant.id}&surface=graph`)).json<{ method: string; path: string; status: number; appId: string }[]>();
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ["POST", "/v1.0/users", 201],
      ["POST", `/v1.0/users/${created.id}/revokeSignInSessions`, 200],
    ]);
    expect(log[0]?.appId).toBe(app.clientId);
  });

  it("revokes consent, sets misbehaviour, adds users and roles, lists and resets", async () => {
    const tenant = (await control("POST", "/tenants", { displayName: "Northwind" })).json<{ id: string }>();
    const app = (await control("POST", "/apps", { displayName: "Other", requiredPermissions: ["User.Read.All"] })).json<{ clientId: string; secrets: { value: string }[] }>();
    expect(app.secrets[0]?.value.length).toBeGreaterThan(20);
    await control("PUT", `/tenants/${tenant.id}/consents/${app.clientId}`, { granted: true });
    expect((await control("PUT", `/tenants/${tenant.id}/consents/${app.clientId}`, { granted: false })).json()).toEqual({ servicePrincipal: null });

    const settings = await control("PUT", `/tenants/${tenant.id}/misbehaviour`, { replicationLag: { ms: 1000 }, faults: { next: 1 } });
    expect(settings.json()).toMatchObject({
      replicationLag: { ms: 1000, requests: 0, assignmentError: "not-found" },
      faults: { next: 1, rate: 0, status: 503 },
      throttle: { enabled: true, quotaScale: 1 },
    });

    const user = (await control("POST", `/tenants/${tenant.id}/users`, { userPrincipalName: "ops@northwind.onmicrosoft.com", displayName: "Ops" })).json<{ id: string }>();
    const assignment = await control("POST", `/tenants/${tenant.id}/users/${user.id}/roles`, { role: "Helpdesk Administrator" });
    expect(assignment.json()).toMatchObject({ roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", principalId: user.id });

    expect((await control("GET", "/tenants")).json<unknown[]>().length).toBeGreaterThanOrEqual(2);
    expect((await control("GET", "/apps")).json<unknown[]>().length).toBeGreaterThanOrEqual(2);
    expect((await control("POST", "/reset")).status).toBe(200);
    expect((await control("GET", "/tenants")).json()).toEqual([]);
  });

  it("seeds and changes a tenant's TAP policy, settings and groups", async () => {
    const groupId = "0f5b8c2d-1e3a-4b5c-9d6e-7f8091a2b3c4";
    const tenant = (
      await control("POST", "/tenants", {
        displayName: "Tailspin",
        users: [
          { userPrincipalName: "a@tailspin.onmicrosoft.com", displayName: "A" },
          { userPrincipalName: "b@tailspin.onmicrosoft.com", displayName: "B" },
        ],
        groups: [{ id: groupId.toUpperCase(), displayName: "JIT admins", members: ["A@tailspin.onmicrosoft.com"] }],
        tapPolicy: { state: "enabled", maximumLifetimeInMinutes: 1440, includeTargets: [{ id: groupId.toUpperCase() }] },
        settings: { requireMfaForAdmins: true },
      })
    ).json<TenantSnapshot>();
    const [a, b] = tenant.users;
    expect(tenant.groups).toEqual([{ id: groupId, displayName: "JIT admins", members: [a?.id] }]);
    expect(tenant.tapPolicy).toEqual({
      state: "enabled",
      defaultLifetimeInMinutes: 60,
      defaultLength: 8,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 1440,
      isUsableOnce: false,
      includeTargets: [{ id: groupId, targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
    });
    expect(tenant.settings).toEqual({ requireMfaForAdmins: true, restrictAuthMethodsOfPrivilegedUsers: false });
    expect(tenant.users.map((u) => u.temporaryAccessPass)).toEqual([null, null]);

    const policy = await control("PUT", `/tenants/${tenant.id}/tap-policy`, { defaultLifetimeInMinutes: 120, isUsableOnce: true });
    expect(policy.json()).toMatchObject({ state: "enabled", defaultLifetimeInMinutes: 120, maximumLifetimeInMinutes: 1440, isUsableOnce: true });
    const settings = await control("PUT", `/tenants/${tenant.id}/settings`, { restrictAuthMethodsOfPrivilegedUsers: true });
    expect(settings.json()).toEqual({ requireMfaForAdmins: true, restrictAuthMethodsOfPrivilegedUsers: true });
    const group = (await control("POST", `/tenants/${tenant.id}/groups`, { displayName: "No TAP", members: [b?.id, b?.userPrincipalName] })).json<{ id: string }>();
    expect(group).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), displayName: "No TAP", members: [b?.id] });
    await control("PUT", `/tenants/${tenant.id}/tap-policy`, { excludeTargets: [{ id: group.id }] });
    const after = (await control("GET", `/tenants/${tenant.id}`)).json<TenantSnapshot>();
    expect(after.groups.map((g) => g.displayName)).toEqual(["JIT admins", "No TAP"]);
    expect(after.tapPolicy.excludeTargets).toEqual([{ id: group.id, targetType: "group" }]);
  });

  it("gives a new tenant Microsoft's TAP defaults, and the sandbox TAP switched on and Stint's permissions", async () => {
    const plain = (await control("POST", "/tenants", { displayName: "Defaults" })).json<TenantSnapshot>();
    expect(plain.tapPolicy).toEqual({
      state: "disabled",
      defaultLifetimeInMinutes: 60,
      defaultLength: 8,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      isUsableOnce: false,
      includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
      excludeTargets: [],
    });
    expect(plain.settings).toEqual({ requireMfaForAdmins: false, restrictAuthMethodsOfPrivilegedUsers: false });
    expect(plain.groups).toEqual([]);

    const sandbox = seedSandbox(t.emulator.control, { redirectUris: ["https://stint.test/cb"], consented: true });
    expect(t.emulator.control.inspectTenant(sandbox.tenantId).tapPolicy).toEqual({ ...plain.tapPolicy, state: "enabled" });
    expect(t.emulator.control.listApps().find((a) => a.clientId === sandbox.clientId)?.requiredPermissions).toEqual([
      "User.ReadWrite.All",
      "User.DeleteRestore.All",
      "RoleManagement.ReadWrite.Directory",
      "Domain.Read.All",
      "Organization.Read.All",
      "UserAuthMethod-TAP.ReadWrite.All",
      "Policy.Read.AuthenticationMethod",
    ]);
  });

  it("validates the TAP policy, settings, groups and fault matches", async () => {
    const tenant = (await control("POST", "/tenants", { displayName: "Strict", users: [{ userPrincipalName: "u@strict.onmicrosoft.com", displayName: "U" }] })).json<{ id: string }>();
    const validation = async (method: string, path: string, json: unknown) => {
      const response = await control(method, path, json);
      expect(response.status, JSON.stringify(json)).toBe(400);
      expect(response.json(), JSON.stringify(json)).toMatchObject({ error: { code: "ValidationFailed" } });
    };
    for (const body of [
      { minimumLifetimeInMinutes: 120 },
      { defaultLifetimeInMinutes: 500 },
      { maximumLifetimeInMinutes: 50_000 },
      { minimumLifetimeInMinutes: 5 },
      { defaultLength: 7 },
      { defaultLength: 49 },
      { state: "on" },
    ]) {
      await validation("PUT", `/tenants/${tenant.id}/tap-policy`, body);
    }
    await validation("PUT", `/tenants/${tenant.id}/settings`, { requireMfaForAdmins: "yes" });
    await validation("POST", `/tenants/${tenant.id}/groups`, { id: "not-a-guid", displayName: "G" });
    await validation("PUT", `/tenants/${tenant.id}/misbehaviour`, { faults: { match: "(unclosed" } });
    await validation("POST", "/tenants", { displayName: "Never made", tapPolicy: { minimumLifetimeInMinutes: 500 } });
    expect((await control("GET", "/tenants")).json<{ displayName: string }[]>().map((x) => x.displayName)).not.toContain("Never made");

    for (const target of [{ includeTargets: [{ id: "unknown-group" }] }, { excludeTargets: [{ id: "all_users" }] }]) {
      const response = await control("PUT", `/tenants/${tenant.id}/tap-policy`, target);
      expect(response.status).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: "ControlError" } });
    }
    expect((await control("POST", `/tenants/${tenant.id}/groups`, { displayName: "G", members: ["ghost@strict.onmicrosoft.com"] })).status).toBe(400);
    const group = (await control("POST", `/tenants/${tenant.id}/groups`, { displayName: "G" })).json<{ id: string }>();
    expect((await control("POST", `/tenants/${tenant.id}/groups`, { id: group.id, displayName: "Again" })).status).toBe(409);
  });

  it("validates input: unknown permissions, bad users, unknown tenants and roles", async () => {
    const badPermission = await control("POST", "/apps", { displayName: "x", requiredPermissions: ["Mail.Send.Everything"] });
    expect(badPermission.status).toBe(400);
    expect(badPermission.json()).toMatchObject({ error: { code: "ValidationFailed" } });
    expect((await control("GET", "/tenants/nope")).status).toBe(404);
    const tenant = (await control("POST", "/tenants", { displayName: "Litware" })).json<{ id: string }>();
    expect((await control("POST", `/tenants/${tenant.id}/users`, { userPrincipalName: "a@elsewhere.com", displayName: "A" })).status).toBe(400);
    expect((await control("POST", "/tenants", { displayName: "Litware" })).status).toBe(409);
    const user = (await control("POST", `/tenants/${tenant.id}/users`, { userPrincipalName: "a@litware.onmicrosoft.com", displayName: "A" })).json<{ id: string }>();
    expect((await control("POST", `/tenants/${tenant.id}/users/${user.id}/roles`, { role: "Supreme Leader" })).status).toBe(400);
    expect((await control("PUT", `/tenants/${tenant.id}/misbehaviour`, { faults: { rate: 2 } })).status).toBe(400);
    expect((await control("DELETE", "/tenants")).status).toBe(405);
  });
});
