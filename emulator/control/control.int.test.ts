import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../server";
import { createHttpsClient } from "../testing/https-client";
import { graphScope, newUserBody, startTestEmulator, type TestEmulator } from "../testing/harness";

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
