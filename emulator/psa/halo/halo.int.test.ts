import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../testing/harness";
import type { HttpRequestOptions } from "../../testing/https-client";

let t: TestEmulator;
let base: string;
const credentials = { client_id: "halo-app", client_secret: "halo-secret" };

beforeAll(async () => {
  t = await startTestEmulator();
  base = `${t.emulator.url}/halo/acme`;
});
afterAll(() => t.stop());

beforeEach(() => {
  t.emulator.control.putHaloInstance("acme", {
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    tenant: "acmemsp",
    clients: [
      { id: 12, name: "Contoso" },
      { id: 15, name: "Fabrikam" },
      { id: 16, name: "Contoso Retail" },
      { id: 17, name: "Old Customer", inactive: true },
    ],
    agents: [{ id: 3, name: "Sam Rivers", email: "sam.rivers@msp.example" }],
    tickets: [
      { id: 1001, summary: "Mailbox for a new starter", company: 12, status: "In Progress", assignee: "sam.rivers@msp.example" },
      { id: 1002, summary: "Unassigned", company: 12 },
    ],
  });
});

const token = (form: Record<string, string> = {}, query = "") =>
  t.http(`${base}/auth/token${query}`, { form: { grant_type: "client_credentials", scope: "all", ...credentials, ...form } });

async function api(method: string, path: string, options: HttpRequestOptions = {}) {
  const accessToken = (await token()).json<{ access_token: string }>().access_token;
  return t.http(`${base}${path}`, { ...options, method, headers: { authorization: `Bearer ${accessToken}`, ...options.headers } });
}

describe("HaloPSA token endpoint", () => {
  it("issues a bearer token for the client-credentials grant, with or without the instance's tenant", async () => {
    for (const query of ["", "?tenant=acmemsp"]) {
      const response = await token({}, query);
      expect(response.status).toBe(200);
      expect(response.json()).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "all", access_token: expect.any(String) });
    }
  });

  it("refuses a wrong secret or tenant, another grant and another scope with OAuth errors", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ client_secret: "wrong" }, "", "invalid_client"],
      [{ client_id: "someone-else" }, "", "invalid_client"],
      [{}, "?tenant=other", "invalid_client"],
      [{ grant_type: "password" }, "", "unsupported_grant_type"],
      [{ grant_type: "" }, "", "invalid_request"],
      [{ scope: "read:tickets" }, "", "invalid_scope"],
    ];
    for (const [form, query, error] of cases) {
      const response = await token(form, query);
      expect(response.status, error).toBe(400);
      expect(response.json()).toEqual({ error });
    }
  });
});

describe("HaloPSA API", () => {
  it("answers 401 without a token, with a made-up one, and once the instance's tokens expired", async () => {
    expect((await t.http(`${base}/api/Tickets/1001`)).status).toBe(401);
    const madeUp = await t.http(`${base}/api/Tickets/1001`, { headers: { authorization: "Bearer nope" } });
    expect(madeUp.status).toBe(401);
    expect(madeUp.headers["www-authenticate"]).toContain("invalid_token");

    const accessToken = (await token()).json<{ access_token: string }>().access_token;
    const call = () => t.http(`${base}/api/Tickets/1001`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await call()).status).toBe(200);
    t.emulator.control.expireHaloTokens("acme");
    expect((await call()).status).toBe(401);
  });

  it("reads a ticket with its client and agent, and 404s an unknown one", async () => {
    const ticket = await api("GET", "/api/Tickets/1001");
    expect(ticket.json()).toMatchObject({ id: 1001, summary: "Mailbox for a new starter", client_id: 12, client_name: "Contoso", status_id: 2, agent_id: 3 });
    expect((await api("GET", "/api/Tickets/1002")).json()).toMatchObject({ agent_id: 0, status_id: 1 });
    expect((await api("GET", "/api/Tickets/999")).status).toBe(404);
    expect((await api("GET", "/api/tickets/not-a-number")).status).toBe(404);
  });

  it("lists statuses, with Closed as id 9, and agents with their e-mail", async () => {
    const statuses = (await api("GET", "/api/Status")).json<{ id: number; name: string }[]>();
    expect(statuses).toContainEqual(expect.objectContaining({ id: 9, name: "Closed" }));
    expect((await api("GET", "/api/Agent/3")).json()).toMatchObject({ id: 3, name: "Sam Rivers", email: "sam.rivers@msp.example" });
    expect((await api("GET", "/api/Agent?search=SAM.RIVERS")).json<unknown[]>()).toHaveLength(1);
    expect((await api("GET", "/api/Agent/99")).status).toBe(404);
  });

  it("lists active clients by name, searched, and in pages with record_count", async () => {
    const all = (await api("GET", "/api/Client")).json<{ record_count: number; clients: { name: string }[] }>();
    expect(all.record_count).toBe(3);
    expect(all.clients.map((c) => c.name)).toEqual(["Contoso", "Contoso Retail", "Fabrikam"]);
    expect((await api("GET", "/api/Client?includeinactive=true")).json()).toMatchObject({ record_count: 4 });
    expect((await api("GET", "/api/Client?search=contoso")).json()).toMatchObject({ record_count: 2 });

    const page2 = (await api("GET", "/api/Client?pageinate=true&page_size=2&page_no=2")).json<{ record_count: number; page_no: number; clients: { name: string }[] }>();
    expect(page2).toMatchObject({ record_count: 3, page_no: 2, page_size: 2 });
    expect(page2.clients.map((c) => c.name)).toEqual(["Fabrikam"]);
  });

  it("writes actions from an array body, refuses one without outcome or ticket, and shows them to the control API", async () => {
    const created = await api("POST", "/api/Actions", {
      json: [{ ticket_id: 1001, outcome: "Private Note", note: "Admin access granted", hiddenfromuser: true, timetaken: 0.5, who_agentid: 3 }],
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ id: 1, ticket_id: 1001, who: "Sam Rivers", timetaken: 0.5, hiddenfromuser: true });

    for (const body of [[{ ticket_id: 1001, note: "no outcome" }], [{ outcome: "Private Note", note: "no ticket" }], [{ ticket_id: 5, outcome: "x" }], { ticket_id: 1001, outcome: "x" }]) {
      expect((await api("POST", "/api/Actions", { json: body })).status).toBe(400);
    }
    const actions = t.emulator.control.inspectHaloInstance("acme").actions;
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ ticket_id: 1001, outcome: "Private Note", note: "Admin access granted", who_agentid: 3 });
  });

  it("answers 429 with Retry-After for the next N calls, the token endpoint included", async () => {
    t.emulator.control.setPsaRateLimit("halo", "acme", { calls: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const refused = await token();
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("7");
    }
    expect((await token()).status).toBe(200);
  });

  it("404s unknown paths and instances, and logs requests under the halo surface", async () => {
    expect((await api("GET", "/api/Nothing")).status).toBe(404);
    expect((await t.http(`${t.emulator.url}/halo/unknown/auth/token`, { form: {} })).status).toBe(404);
    const logged = t.emulator.control.requests({ surface: "halo" });
    expect(logged.at(-1)).toMatchObject({ psaInstance: "unknown", status: 404 });
  });
});
