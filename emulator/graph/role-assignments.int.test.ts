import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInRoles } from "../catalog/roles";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
const helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const exchangeAdministrator = "29232cdf-9323-42fd-ade2-1d097af3e4de";

let t: TestEmulator;
let c: TenantApp;

beforeAll(async () => {
  t = await startTestEmulator();
  c = await t.tenantWithApp();
});
afterAll(() => t.stop());

type Assignment = { id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string };
type ODataError = { error: { code: string; message: string } };

async function createUser(localPart: string) {
  return (await c.graph("POST", "/users", { json: newUserBody(c.domain, localPart) })).json<{ id: string }>();
}

async function assign(principalId: string, roleDefinitionId: string) {
  return c.graph("POST", "/roleManagement/directory/roleAssignments", {
    json: { "@odata.type": "#microsoft.graph.unifiedRoleAssignment", roleDefinitionId, principalId, directoryScopeId: "/" },
  });
}

describe("roleDefinitions", () => {
  it("lists the built-in catalog with id == templateId", async () => {
    const response = await c.graph("GET", "/roleManagement/directory/roleDefinitions");
    const value = response.json<{ value: { id: string; templateId: string; displayName: string; isBuiltIn: boolean }[] }>().value;
    expect(value.length).toBeGreaterThanOrEqual(20);
    for (const role of value) expect(role.id).toBe(role.templateId);
    const names = value.map((r) => r.displayName);
    for (const name of [
      "Global Administrator", "User Administrator", "Helpdesk Administrator", "Exchange Administrator", "SharePoint Administrator",
      "Teams Administrator", "Intune Administrator", "Security Administrator", "Privileged Role Administrator",
      "Authentication Administrator", "Global Reader", "Directory Readers",
    ]) {
      expect(names).toContain(name);
    }
    expect(value.find((r) => r.displayName === "Global Administrator")?.id).toBe(globalAdministrator);
  });

  it("filters by displayName and id, and gets one by id", async () => {
    const byName = await c.graph("GET", `/roleManagement/directory/roleDefinitions?$filter=${encodeURIComponent("displayName eq 'Helpdesk Administrator'")}`);
    expect(byName.json<{ value: { id: string }[] }>().value.map((r) => r.id)).toEqual([helpdeskAdministrator]);
    const byIds = await c.graph("GET", `/roleManagement/directory/roleDefinitions?$filter=id in ('${globalAdministrator}','${exchangeAdministrator}')&$select=id`);
    expect(byIds.json<{ value: unknown[] }>().value).toEqual([{ id: globalAdministrator }, { id: exchangeAdministrator }]);
    const one = await c.graph("GET", `/roleManagement/directory/roleDefinitions/${helpdeskAdministrator}`);
    expect(one.json()).toMatchObject({ displayName: "Helpdesk Administrator", isBuiltIn: true, isEnabled: true });
    expect((await c.graph("GET", "/roleManagement/directory/roleDefinitions/00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect(builtInRoles.length).toBe(22);
  });
});

describe("roleAssignments", () => {
  it("creates (201), lists by principalId, gets by id with $expand, and deletes (204)", async () => {
    const user = await createUser("ra1");
    const created = await assign(user.id, helpdeskAdministrator);
    expect(created.status).toBe(201);
    const assignment = created.json<Assignment & { "@odata.context": string }>();
    expect(assignment).toMatchObject({ principalId: user.id, roleDefinitionId: helpdeskAdministrator, directoryScopeId: "/" });
    expect(assignment["@odata.context"]).toBe(`${t.emulator.url}/v1.0/$metadata#roleManagement/directory/roleAssignments/$entity`);
    expect(assignment.id).toMatch(/^[A-Za-z0-9_-]{43}-1$/);

    await assign(user.id, exchangeAdministrator);
    const list = await c.graph("GET", `/roleManagement/directory/roleAssignments?$filter=principalId eq '${user.id}'`);
    expect(list.json<{ value: Assignment[] }>().value.map((a) => a.roleDefinitionId).sort()).toEqual([exchangeAdministrator, helpdeskAdministrator].sort());
    const both = await c.graph(
      "GET",
      `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${user.id}' and roleDefinitionId eq '${exchangeAdministrator}'`)}`,
    );
    expect(both.json<{ value: Assignment[] }>().value).toHaveLength(1);

    const one = await c.graph("GET", `/roleManagement/directory/roleAssignments/${assignment.id}?$expand=roleDefinition,principal`);
    expect(one.json()).toMatchObject({ id: assignment.id, roleDefinition: { displayName: "Helpdesk Administrator" }, principal: { id: user.id } });

    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${assignment.id}`)).status).toBe(204);
    expect((await c.graph("GET", `/roleManagement/directory/roleAssignments/${assignment.id}`)).status).toBe(404);
    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${assignment.id}`)).status).toBe(404);
  });

  it("rejects a duplicate assignment with 400 'conflicting object'", async () => {
    const user = await createUser("ra2");
    expect((await assign(user.id, helpdeskAdministrator)).status).toBe(201);
    const duplicate = await assign(user.id, helpdeskAdministrator);
    expect(duplicate.status).toBe(400);
    expect(duplicate.json<ODataError>().error).toEqual(
      expect.objectContaining({
        code: "Request_BadRequest",
        message: "A conflicting object with one or more of the specified property values is present in the directory.",
      }),
    );
  });

  it("answers 404 for an unknown principal or role, and 403 without RoleManagement.ReadWrite.Directory", async () => {
    const unknownPrincipal = await assign("11111111-1111-1111-1111-111111111111", helpdeskAdministrator);
    expect(unknownPrincipal.status).toBe(404);
    expect(unknownPrincipal.json<ODataError>().error.code).toBe("Request_ResourceNotFound");
    const user = await createUser("ra3");
    expect((await assign(user.id, "22222222-2222-2222-2222-222222222222")).status).toBe(404);

    const reader = await t.tenantWithApp({ permissions: ["User.ReadWrite.All", "RoleManagement.Read.Directory"] });
    const readerUser = (await reader.graph("POST", "/users", { json: newUserBody(reader.domain, "x") })).json<{ id: string }>();
    const denied = await reader.graph("POST", "/roleManagement/directory/roleAssignments", {
      json: { roleDefinitionId: helpdeskAdministrator, principalId: readerUser.id, directoryScopeId: "/" },
    });
    expect(denied.status).toBe(403);
    expect((await reader.graph("GET", "/roleManagement/directory/roleAssignments")).status).toBe(200);
  });

  it("hides assignments of a soft-deleted user and drops them on permanent deletion", async () => {
    const user = await createUser("ra4");
    await assign(user.id, exchangeAdministrator);
    await c.graph("DELETE", `/users/${user.id}`);
    const listed = await c.graph("GET", `/roleManagement/directory/roleAssignments?$filter=principalId eq '${user.id}'`);
    expect(listed.json<{ value: unknown[] }>().value).toEqual([]);
    await c.graph("DELETE", `/directory/deletedItems/${user.id}`);
    expect(t.emulator.control.inspectTenant(c.tenant.id).roleAssignments.some((a) => a.principalId === user.id)).toBe(false);
  });
});

describe("app-only restriction on users holding privileged roles", () => {
  it("refuses sensitive PATCH, DELETE and revokeSignInSessions with 403, allows other properties", async () => {
    const admin = await createUser("priv1");
    await assign(admin.id, globalAdministrator);
    const denied = { error: expect.objectContaining({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." }) };

    const disable = await c.graph("PATCH", `/users/${admin.id}`, { json: { accountEnabled: false } });
    expect(disable.status).toBe(403);
    expect(disable.json()).toEqual(denied);
    expect((await c.graph("PATCH", `/users/${admin.id}`, { json: { passwordProfile: { password: "An0ther-Str0ng!" } } })).status).toBe(403);
    expect((await c.graph("DELETE", `/users/${admin.id}`)).status).toBe(403);
    expect((await c.graph("POST", `/users/${admin.id}/revokeSignInSessions`)).status).toBe(403);
    expect((await c.graph("PATCH", `/users/${admin.id}`, { json: { employeeType: "stint-expired" } })).status).toBe(204);
  });

  it("treats non-privileged roles (Exchange Administrator) as ordinary users", async () => {
    const user = await createUser("priv2");
    await assign(user.id, exchangeAdministrator);
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { accountEnabled: false } })).status).toBe(204);
  });

  it("allows the actions once the privileged assignment is removed (Stint's expiry order)", async () => {
    const user = await createUser("priv3");
    const assignment = (await assign(user.id, helpdeskAdministrator)).json<Assignment>();
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { accountEnabled: false } })).status).toBe(403);
    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${assignment.id}`)).status).toBe(204);
    expect((await c.graph("POST", `/users/${user.id}/revokeSignInSessions`)).status).toBe(200);
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { accountEnabled: false } })).status).toBe(204);
    expect((await c.graph("DELETE", `/users/${user.id}`)).status).toBe(204);
  });

  it("lets an app whose service principal holds Privileged Authentication Administrator act on privileged users", async () => {
    const strong = await t.tenantWithApp();
    t.emulator.control.setConsent(strong.tenant.id, strong.app.clientId, { granted: true, directoryRoles: ["Privileged Authentication Administrator"] });
    const user = (await strong.graph("POST", "/users", { json: newUserBody(strong.domain, "p") })).json<{ id: string }>();
    t.emulator.control.assignRole(strong.tenant.id, user.id, "Global Administrator");
    expect((await strong.graph("PATCH", `/users/${user.id}`, { json: { accountEnabled: false } })).status).toBe(204);
  });
});
