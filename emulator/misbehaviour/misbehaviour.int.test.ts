import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

const helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ seed: 42 });
});
afterAll(() => t.stop());

async function createUser(c: TenantApp, localPart: string) {
  const response = await c.graph("POST", "/users", { json: newUserBody(c.domain, localPart) });
  expect(response.status).toBe(201);
  return response.json<{ id: string }>();
}

function assign(c: TenantApp, principalId: string) {
  return c.graph("POST", "/roleManagement/directory/roleAssignments", {
    json: { roleDefinitionId: helpdeskAdministrator, principalId, directoryScopeId: "/" },
  });
}

describe("replication lag of new users", () => {
  it("hides a new user from GET, lists and role assignment for N ms", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: { ms: 300 } });
    const user = await createUser(c, "lagged");

    expect((await c.graph("GET", `/users/${user.id}`)).status).toBe(404);
    const listed = (await c.graph("GET", "/users?$select=id")).json<{ value: { id: string }[] }>().value;
    expect(listed.some((u) => u.id === user.id)).toBe(false);
    const early = await assign(c, user.id);
    expect(early.status).toBe(404);
    expect(early.json()).toMatchObject({ error: { code: "Request_ResourceNotFound" } });

    await sleep(320);
    expect((await c.graph("GET", `/users/${user.id}`)).status).toBe(200);
    expect((await assign(c, user.id)).status).toBe(201);
  });

  it("hides a new user from its first N requests, with the 'Not a valid reference update' variant", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: { requests: 2, assignmentError: "bad-reference" } });
    const user = await createUser(c, "counted");
    const first = await assign(c, user.id);
    expect(first.status).toBe(400);
    expect(first.json()).toMatchObject({ error: { code: "Request_BadRequest", message: "Not a valid reference update" } });
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { jobTitle: "x" } })).status).toBe(404);
    expect((await assign(c, user.id)).status).toBe(201);
  });

  it("switches off with null", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: { ms: 60_000 } });
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: null });
    const user = await createUser(c, "immediate");
    expect((await assign(c, user.id)).status).toBe(201);
  });
});

describe("throttling", () => {
  it("answers 429 TooManyRequests with Retry-After and x-ms-throttle-* once the write bucket is empty", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { throttle: { quotaScale: 0.001, windowScale: 0.002 } });
    const token = await c.token();
    const patch = () =>
      t.http(`${t.emulator.url}/v1.0/users/nobody@${c.domain}`, { method: "PATCH", json: { jobTitle: "x" }, headers: { authorization: `Bearer ${token}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await patch()).status);
    expect(statuses).toEqual([404, 404, 404]);

    const throttled = await patch();
    expect(throttled.status).toBe(429);
    expect(throttled.headers["x-ms-throttle-scope"]).toBe(`Tenant_Application/ReadWrite/${c.app.clientId}/${c.tenant.id}`);
    expect(throttled.headers["x-ms-throttle-information"]).toBe("WriteLimitExceeded");
    const retryAfter = Number(throttled.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThan(1);
    expect(throttled.json()).toMatchObject({
      error: { code: "TooManyRequests", message: "Please retry again later.", innerError: { code: "429", status: "429", message: "Please retry after" } },
    });

    await sleep(retryAfter * 1000 + 20);
    expect((await patch()).status).toBe(404);
  });

  it("counts resource units for reads (GET /users costs 2) and can omit Retry-After", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { throttle: { quotaScale: 0.001, retryAfter: false } });
    const token = await c.token();
    const list = () => t.http(`${t.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${token}` } });
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.headers["x-ms-resource-unit"]).toBe("2");
    expect((await list()).status).toBe(200);
    const third = await list();
    expect(third.status).toBe(429);
    expect(third.headers["x-ms-throttle-information"]).toBe("ResourceUnitLimitExceeded");
    expect(third.headers["retry-after"]).toBeUndefined();
  });

  it("throttles per tenant: another tenant of the same app is unaffected", async () => {
    const a = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(a.tenant.id, { throttle: { quotaScale: 0.0001 } });
    expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: { jobTitle: "x" } })).status).toBe(404);
    expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: { jobTitle: "x" } })).status).toBe(429);
    const b = await t.tenantWithApp();
    expect((await b.graph("PATCH", `/users/x@${b.domain}`, { json: { jobTitle: "x" } })).status).toBe(404);
  });

  it("applies the per-application limit across tenants when configured", async () => {
    const a = await t.tenantWithApp();
    const app = a.app;
    const b = t.emulator.control.createTenant({ displayName: "Second", domains: [`second${Date.now()}.onmicrosoft.com`] });
    t.emulator.control.setConsent(b.id, app.clientId, { granted: true });
    t.emulator.control.configure({ appThrottle: { quotaScale: 0.0001 } });
    try {
      expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: {} })).status).toBe(404);
      expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: {} })).status).toBe(404);
      expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: {} })).status).toBe(404);
      expect((await a.graph("PATCH", `/users/x@${a.domain}`, { json: {} })).status).toBe(404);
      const tokenB = (
        await t.http(`${t.emulator.url}/${b.id}/oauth2/v2.0/token`, {
          form: { grant_type: "client_credentials", client_id: app.clientId, client_secret: a.secret, scope: "https://graph.microsoft.com/.default" },
        })
      ).json<{ access_token: string }>().access_token;
      const fromB = await t.http(`${t.emulator.url}/v1.0/users/x@y`, { method: "PATCH", json: {}, headers: { authorization: `Bearer ${tokenB}` } });
      expect(fromB.status).toBe(429);
      expect(fromB.headers["x-ms-throttle-scope"]).toBe(`Application/ReadWrite/${app.clientId}`);
    } finally {
      t.emulator.control.configure({ appThrottle: { quotaScale: 1 } });
    }
  });
});

describe("transient failures", () => {
  it("fails exactly the next K requests with 503", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { faults: { next: 2, retryAfterSeconds: 1 } });
    const first = await c.graph("GET", "/organization");
    expect(first.status).toBe(503);
    expect(first.headers["retry-after"]).toBe("1");
    expect(first.json()).toMatchObject({ error: { code: "serviceNotAvailable" } });
    expect((await c.graph("GET", "/organization")).status).toBe(503);
    expect((await c.graph("GET", "/organization")).status).toBe(200);
  });

  it("answers 429 TooManyRequests with the given Retry-After seconds", async () => {
    const c = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(c.tenant.id, { faults: { next: 1, status: 429, retryAfterSeconds: 3 } });
    const throttled = await c.graph("GET", "/organization");
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("3");
    expect(throttled.json()).toMatchObject({ error: { code: "TooManyRequests", innerError: { code: "429", status: "429" } } });
    expect((await c.graph("GET", "/organization")).status).toBe(200);
  });

  it("counts and fails only the requests whose METHOD /path matches, before they run unless afterHandler", async () => {
    const c = await t.tenantWithApp();
    const user = await createUser(c, "matched");
    t.emulator.control.setMisbehaviour(c.tenant.id, { faults: { next: 1, match: "^PATCH /users/[^/]+$" } });
    expect((await c.graph("GET", `/users/${user.id}`)).status).toBe(200);
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { jobTitle: "first" } })).status).toBe(503);
    expect(t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === user.id)?.properties.jobTitle).toBeNull();

    t.emulator.control.setMisbehaviour(c.tenant.id, { faults: { next: 1, match: "^PATCH /users/[^/]+$", status: 504, afterHandler: true } });
    const lost = await c.graph("PATCH", `/users/${user.id}`, { json: { jobTitle: "second" } });
    expect(lost.status).toBe(504);
    expect(lost.json()).toMatchObject({ error: { code: "gatewayTimeout" } });
    expect(t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === user.id)?.properties.jobTitle).toBe("second");
    expect((await c.graph("PATCH", `/users/${user.id}`, { json: { jobTitle: "third" } })).status).toBe(204);
  });

  it("fails a seeded fraction of requests, the same ones again for the same seed", async () => {
    const c = await t.tenantWithApp({ tenant: { id: "0b3a4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d" } });
    const token = await c.token();
    const run = async () => {
      t.emulator.control.setMisbehaviour(c.tenant.id, { faults: { rate: 0.3, status: 504 } });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push((await t.http(`${t.emulator.url}/v1.0/organization`, { headers: { authorization: `Bearer ${token}` } })).status);
      }
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const failures = first.filter((s) => s === 504).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(20);

    const other = await startTestEmulator({ seed: 7 });
    try {
      const o = await other.tenantWithApp({ tenant: { id: "0b3a4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d" } });
      other.emulator.control.setMisbehaviour(o.tenant.id, { faults: { rate: 0.3, status: 504 } });
      const otherToken = await o.token();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push((await other.http(`${other.emulator.url}/v1.0/organization`, { headers: { authorization: `Bearer ${otherToken}` } })).status);
      }
      expect(statuses).not.toEqual(first);
    } finally {
      await other.stop();
    }
  });
});

describe("latency", () => {
  it("delays a tenant's Graph responses by latencyMs", async () => {
    const c = await t.tenantWithApp();
    const token = await c.token();
    const timed = async () => {
      const started = performance.now();
      await t.http(`${t.emulator.url}/v1.0/organization`, { headers: { authorization: `Bearer ${token}` } });
      return performance.now() - started;
    };
    t.emulator.control.setMisbehaviour(c.tenant.id, { latencyMs: 300 });
    expect(await timed()).toBeGreaterThanOrEqual(300);
    t.emulator.control.setMisbehaviour(c.tenant.id, { latencyMs: 0 });
    expect(await timed()).toBeLessThan(300);
  });

  it("delays every response (login side too) with the global latency", async () => {
    t.emulator.control.configure({ latencyMs: 60 });
    try {
      const started = performance.now();
      await t.http(`${t.emulator.url}/common/discovery/instance?api-version=1.1`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    } finally {
      t.emulator.control.configure({ latencyMs: 0 });
    }
  });
});
