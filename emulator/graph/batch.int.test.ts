import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

let t: TestEmulator;
let c: TenantApp;

beforeAll(async () => {
  t = await startTestEmulator();
  c = await t.tenantWithApp();
});
afterAll(() => t.stop());

type BatchResponse = { responses: { id: string; status: number; headers: Record<string, string>; body?: Record<string, unknown> }[] };
const json = { "Content-Type": "application/json" };

describe("POST /$batch", () => {
  it("runs each request and reports its own status, headers and body", async () => {
    const response = await c.graph("POST", "/$batch", {
      json: {
        requests: [
          { id: "1", method: "POST", url: "/users", headers: json, body: newUserBody(c.domain, "batch1") },
          { id: "2", method: "GET", url: `/users/batch1@${c.domain}?$select=id,accountEnabled` },
          { id: "3", method: "GET", url: "users/00000000-0000-0000-0000-0000000000ff" },
          { id: "4", method: "GET", url: "/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Global Administrator'&$select=id" },
        ],
      },
    });
    expect(response.status).toBe(200);
    const { responses } = response.json<BatchResponse>();
    expect(responses.map((r) => [r.id, r.status])).toEqual([["1", 201], ["2", 200], ["3", 404], ["4", 200]]);
    expect(responses[0]?.headers["Content-Type"]).toMatch(/^application\/json/);
    expect(responses[1]?.body).toMatchObject({ accountEnabled: true });
    expect(responses[2]?.body).toMatchObject({ error: { code: "Request_ResourceNotFound" } });
    expect(responses[3]?.body).toMatchObject({ value: [{ id: "62e90394-69f5-4237-9190-012177145e10" }] });
  });

  it("answers 424 for requests whose dependency failed and runs dependencies first", async () => {
    const response = await c.graph("POST", "/$batch", {
      json: {
        requests: [
          { id: "b", method: "PATCH", url: "/users/batch-missing@x.test", headers: json, body: { jobTitle: "x" }, dependsOn: ["a"] },
          { id: "a", method: "POST", url: "/users", headers: json, body: newUserBody(c.domain, "batch2", { passwordProfile: { password: "weak" } }) },
          { id: "c", method: "GET", url: "/organization", dependsOn: ["a"] },
        ],
      },
    });
    const { responses } = response.json<BatchResponse>();
    expect(responses.map((r) => [r.id, r.status])).toEqual([["b", 424], ["a", 400], ["c", 424]]);
  });

  it("rejects more than 20 requests, duplicate ids and unknown dependencies as a whole", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/organization" }));
    const tooMany = await c.graph("POST", "/$batch", { json: { requests: many } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json()).toMatchObject({ error: { code: "BadRequest" } });
    const duplicate = await c.graph("POST", "/$batch", { json: { requests: [{ id: "1", method: "GET", url: "/organization" }, { id: "1", method: "GET", url: "/domains" }] } });
    expect(duplicate.status).toBe(400);
    const unknown = await c.graph("POST", "/$batch", { json: { requests: [{ id: "1", method: "GET", url: "/organization", dependsOn: ["9"] }] } });
    expect(unknown.status).toBe(400);
    const twenty = await c.graph("POST", "/$batch", { json: { requests: many.slice(0, 20) } });
    expect(twenty.json<BatchResponse>().responses.every((r) => r.status === 200)).toBe(true);
  });

  it("fails a write whose body has no Content-Type header", async () => {
    const response = await c.graph("POST", "/$batch", {
      json: { requests: [{ id: "1", method: "POST", url: "/users", body: newUserBody(c.domain, "batch3") }] },
    });
    const [item] = response.json<BatchResponse>().responses;
    expect(item?.status).toBe(400);
    expect(item?.body).toMatchObject({ error: { message: "Write request id : 1 does not contain Content-Type header or body." } });
  });

  it("throttles batch items individually: a throttled item gets 429 with Retry-After", async () => {
    const small = await t.tenantWithApp();
    t.emulator.control.setMisbehaviour(small.tenant.id, { throttle: { quotaScale: 0.001 } });
    const requests = Array.from({ length: 5 }, (_, i) => ({
      id: String(i),
      method: "PATCH",
      url: `/users/nobody${i}@${small.domain}`,
      headers: json,
      body: { jobTitle: "x" },
    }));
    const { responses } = (await small.graph("POST", "/$batch", { json: { requests } })).json<BatchResponse>();
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 429, 429]);
    expect(Number(responses[3]?.headers["Retry-After"])).toBeGreaterThan(0);
    const log = t.emulator.control.requests({ tenantId: small.tenant.id }).filter((e) => e.batchRequestId);
    expect(log).toHaveLength(5);
  });
});
