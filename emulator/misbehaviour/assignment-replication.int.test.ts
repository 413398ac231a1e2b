import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

const helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Assignment = { id: string; principalId: string; roleDefinitionId: string };

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ seed: 42 });
});
afterAll(() => t.stop());

/** A user that exists and has replicated long ago, so only the assignment's own lag is in play. */
function seededUser(c: TenantApp, localPart: string): string {
  return t.emulator.control.addUser(c.tenant.id, { userPrincipalName: `${localPart}@${c.domain}`, displayName: localPart }).id;
}

async function assign(c: TenantApp, principalId: string, roleDefinitionId = helpdeskAdministrator) {
  return c.graph("POST", "/roleManagement/directory/roleAssignments", { json: { roleDefinitionId, principalId, directoryScopeId: "/" } });
}

async function listedFor(c: TenantApp, principalId: string): Promise<string[]> {
  const response = await c.graph("GET", `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`);
  expect(response.status).toBe(200);
  return response.json<{ value: Assignment[] }>().value.map((a) => a.id);
}

function trueAssignmentIds(c: TenantApp): string[] {
  return t.emulator.control.inspectTenant(c.tenant.id).roleAssignments.map((a) => a.id);
}

describe("replication lag of new role assignments", () => {
  it("keeps a new assignment out of lists, GET and DELETE by id until its window has passed", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 1_500 } });
    const userId = seededUser(c, "windowed");
    const created = await assign(c, userId);
    expect(created.status).toBe(201);
    const { id } = created.json<Assignment>();

    expect(await listedFor(c, userId)).toEqual([]);
    const byId = await c.graph("GET", `/roleManagement/directory/roleAssignments/${id}`);
    expect(byId.status).toBe(404);
    expect(byId.json()).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(404);
    expect(trueAssignmentIds(c)).toContain(id);

    await sleep(1_520);
    expect(await listedFor(c, userId)).toEqual([id]);
    expect((await c.graph("GET", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(200);
  });

  it("keeps it out of the first N reads that would return it", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { requests: 2 } });
    const userId = seededUser(c, "counted");
    const other = seededUser(c, "bystander");
    const { id } = (await assign(c, userId)).json<Assignment>();

    expect(await listedFor(c, other)).toEqual([]);
    expect(await listedFor(c, userId)).toEqual([]);
    expect((await c.graph("GET", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(404);
    expect(await listedFor(c, userId)).toEqual([id]);
  });

  it("answers a repeated create with the conflict of the true state while reads miss the first", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 60_000 } });
    const userId = seededUser(c, "repeated");
    expect((await assign(c, userId)).status).toBe(201);
    const again = await assign(c, userId);
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({
      error: { code: "Request_BadRequest", message: "A conflicting object with one or more of the specified property values is present in the directory." },
    });
    expect(await listedFor(c, userId)).toEqual([]);
  });

  it("judges the privileged-user rule on the true state: a hidden Global Administrator cannot be disabled or deleted", async () => {
    const c = await t.tenantWithApp({ permissions: ["User.ReadWrite.All", "User.EnableDisableAccount.All", "RoleManagement.ReadWrite.Directory"] });
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 60_000 } });
    const userId = seededUser(c, "hiddenadmin");
    expect((await assign(c, userId, globalAdministrator)).status).toBe(201);
    expect(await listedFor(c, userId)).toEqual([]);

    const disable = await c.graph("PATCH", `/users/${userId}`, { json: { accountEnabled: false } });
    expect(disable.status).toBe(403);
    expect(disable.json()).toMatchObject({ error: { code: "Authorization_RequestDenied" } });
    expect((await c.graph("DELETE", `/users/${userId}`)).status).toBe(403);
    expect(t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === userId)?.accountEnabled).toBe(true);
  });

  it("with removals, keeps listing a deleted assignment for its window; a second DELETE is 404", async () => {
    const c = await t.tenantWithApp({ permissions: ["User.ReadWrite.All", "User.EnableDisableAccount.All", "RoleManagement.ReadWrite.Directory"] });
    const userId = seededUser(c, "lingering");
    const { id } = (await assign(c, userId, globalAdministrator)).json<Assignment>();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 1_500, removals: true } });

    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(204);
    expect(trueAssignmentIds(c)).not.toContain(id);
    expect(await listedFor(c, userId)).toEqual([id]);
    expect((await c.graph("GET", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(200);
    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(404);
    expect((await c.graph("PATCH", `/users/${userId}`, { json: { accountEnabled: false } })).status).toBe(204);

    await sleep(1_520);
    expect(await listedFor(c, userId)).toEqual([]);
  });

  it("with removalsGuardPrivileged, a deleted privileged assignment protects its user until its removal has replicated", async () => {
    const c = await t.tenantWithApp({ permissions: ["User.ReadWrite.All", "User.EnableDisableAccount.All", "RoleManagement.ReadWrite.Directory"] });
    const userId = seededUser(c, "guarded");
    const { id } = (await assign(c, userId, globalAdministrator)).json<Assignment>();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 1_500, removals: true, removalsGuardPrivileged: true } });

    expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(204);
    const disable = await c.graph("PATCH", `/users/${userId}`, { json: { accountEnabled: false } });
    expect(disable.status).toBe(403);
    expect(disable.json()).toMatchObject({ error: { code: "Authorization_RequestDenied" } });

    await sleep(1_520);
    expect((await c.graph("PATCH", `/users/${userId}`, { json: { accountEnabled: false } })).status).toBe(204);
    expect(await listedFor(c, userId)).toEqual([]);
  });

  it("lags the seeded fraction of assignments, the same ones again for the same seed", async () => {
    const c = await t.tenantWithApp({ tenant: { id: "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f" } });
    const users = Array.from({ length: 12 }, (_, i) => seededUser(c, `drawn${i}`));
    const run = async () => {
      t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 60_000, rate: 0.5 } });
      const hidden: boolean[] = [];
      const ids: string[] = [];
      for (const userId of users) {
        ids.push((await assign(c, userId)).json<Assignment>().id);
        hidden.push((await listedFor(c, userId)).length === 0);
      }
      t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: null });
      for (const id of ids) expect((await c.graph("DELETE", `/roleManagement/directory/roleAssignments/${id}`)).status).toBe(204);
      return hidden;
    };
    const first = await run();
    expect(first.filter(Boolean).length).toBeGreaterThan(1);
    expect(first.filter((h) => !h).length).toBeGreaterThan(1);
    expect(await run()).toEqual(first);
  });

  it("switches off with null", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: { ms: 60_000 } });
    t.emulator.control.setMisbehaviour(c.tenant.id, { assignmentReplicationLag: null });
    const userId = seededUser(c, "immediate");
    const { id } = (await assign(c, userId)).json<Assignment>();
    expect(await listedFor(c, userId)).toEqual([id]);
  });
});

describe("lag of a new user and of its assignment together", () => {
  it("refuses the assignment while the user lags, then hides the assignment while it lags", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: { requests: 1 }, assignmentReplicationLag: { requests: 1 } });
    const user = (await c.graph("POST", "/users", { json: newUserBody(c.domain, "fresh") })).json<{ id: string }>();
    expect((await assign(c, user.id)).status).toBe(404);
    const { id } = (await assign(c, user.id)).json<Assignment>();
    expect(await listedFor(c, user.id)).toEqual([]);
    expect(await listedFor(c, user.id)).toEqual([id]);
  });
});
