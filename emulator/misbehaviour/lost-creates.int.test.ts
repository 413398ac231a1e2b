import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jitPermissions, newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

const helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const conflictMessage = "A conflicting object with one or more of the specified property values is present in the directory.";

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ seed: 42 });
});
afterAll(() => t.stop());

function tenant(id?: string): Promise<TenantApp> {
  return t.tenantWithApp({
    permissions: [...jitPermissions, "UserAuthMethod-TAP.ReadWrite.All"],
    tenant: { tapPolicy: { state: "enabled" }, ...(id ? { id } : {}) },
  });
}

function assign(c: TenantApp, principalId: string) {
  return c.graph("POST", "/roleManagement/directory/roleAssignments", {
    json: { roleDefinitionId: helpdeskAdministrator, principalId, directoryScopeId: "/" },
  });
}

function snapshot(c: TenantApp) {
  return t.emulator.control.inspectTenant(c.tenant.id);
}

describe("lost creates: carried out, answered 504", () => {
  it("loses the answer of each object's first create; sending it again meets the object", async () => {
    const c = await tenant();
    t.emulator.control.setMisbehaviour(c.tenant.id, { lostCreates: {} });
    const body = newUserBody(c.domain, "lost");

    const first = await c.graph("POST", "/users", { json: body });
    expect(first.status).toBe(504);
    expect(first.json()).toMatchObject({ error: { code: "gatewayTimeout" } });
    const user = snapshot(c).users.find((u) => u.userPrincipalName === `lost@${c.domain}`);
    expect(user).toBeDefined();
    const again = await c.graph("POST", "/users", { json: body });
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: { code: "Request_BadRequest", details: expect.arrayContaining([expect.objectContaining({ code: "ObjectConflict" })]) } });

    expect((await assign(c, user!.id)).status).toBe(504);
    expect(snapshot(c).roleAssignments.map((a) => [a.principalId, a.roleDefinitionId])).toEqual([[user!.id, helpdeskAdministrator]]);
    const assignedAgain = await assign(c, user!.id);
    expect(assignedAgain.status).toBe(400);
    expect(assignedAgain.json()).toMatchObject({ error: { message: conflictMessage } });

    const passes = `/users/${user!.id}/authentication/temporaryAccessPassMethods`;
    expect((await c.graph("POST", passes, { json: { lifetimeInMinutes: 60 } })).status).toBe(504);
    const lostPass = snapshot(c).users.find((u) => u.id === user!.id)?.temporaryAccessPass;
    expect(lostPass).not.toBeNull();
    const secondPass = await c.graph("POST", passes, { json: { lifetimeInMinutes: 60 } });
    expect(secondPass.status).toBe(201);
    expect(secondPass.json<{ id: string }>().id).not.toBe(lostPass?.id);
  });

  it("answers every other request as usual: failed creates, updates, other objects' first creates after theirs", async () => {
    const c = await tenant();
    t.emulator.control.setMisbehaviour(c.tenant.id, { lostCreates: { status: 503 } });
    const invalid = await c.graph("POST", "/users", { json: newUserBody(c.domain, "bad", { passwordProfile: { password: "short" } }) });
    expect(invalid.status).toBe(400);
    expect((await c.graph("POST", "/users", { json: newUserBody(c.domain, "bad") })).status).toBe(503);
    expect((await c.graph("PATCH", `/users/bad@${c.domain}`, { json: { jobTitle: "x" } })).status).toBe(204);
    const lost = await c.graph("POST", "/users", { json: newUserBody(c.domain, "other") });
    expect(lost.status).toBe(503);
    expect(lost.json()).toMatchObject({ error: { code: "serviceNotAvailable" } });
  });

  it("with match, loses only the answers of matching creates", async () => {
    const c = await tenant();
    t.emulator.control.setMisbehaviour(c.tenant.id, { lostCreates: { match: "^POST /roleManagement/" } });
    const created = await c.graph("POST", "/users", { json: newUserBody(c.domain, "kept") });
    expect(created.status).toBe(201);
    expect((await assign(c, created.json<{ id: string }>().id)).status).toBe(504);
  });

  it("loses an item's answer inside a JSON batch", async () => {
    const c = await tenant();
    t.emulator.control.setMisbehaviour(c.tenant.id, { lostCreates: {} });
    const response = await c.graph("POST", "/$batch", {
      json: { requests: [{ id: "1", method: "POST", url: "/users", headers: { "Content-Type": "application/json" }, body: newUserBody(c.domain, "batched") }] },
    });
    expect(response.json<{ responses: { status: number }[] }>().responses[0]?.status).toBe(504);
    expect(snapshot(c).users.some((u) => u.userPrincipalName === `batched@${c.domain}`)).toBe(true);
  });

  it("loses a seeded fraction of first creates, the same ones again for the same seed", async () => {
    const c = await tenant("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    const run = async (prefix: string) => {
      t.emulator.control.setMisbehaviour(c.tenant.id, { lostCreates: { rate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await c.graph("POST", "/users", { json: newUserBody(c.domain, `${prefix}${i}`) })).status);
      return statuses;
    };
    const first = await run("a");
    expect(first.filter((s) => s === 504).length).toBeGreaterThan(1);
    expect(first.filter((s) => s === 201).length).toBeGreaterThan(1);
    expect(await run("b")).toEqual(first);
  });
});
