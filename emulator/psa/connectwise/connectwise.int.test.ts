import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../testing/harness";
import type { HttpRequestOptions } from "../../testing/https-client";

let t: TestEmulator;
let base: string;
const basic = `Basic ${Buffer.from("acme+pub-key:priv-key").toString("base64")}`;
const clientId = "5b4a8d4e-0c3f-4f5e-9d1a-2b3c4d5e6f70";

beforeAll(async () => {
  t = await startTestEmulator();
  base = `${t.emulator.url}/connectwise/acme/v4_6_release/apis/3.0`;
});
afterAll(() => t.stop());

beforeEach(() => {
  t.emulator.control.putConnectWiseInstance("acme", {
    companyId: "Acme",
    publicKey: "pub-key",
    privateKey: "priv-key",
    companies: [
      { id: 250, identifier: "Contoso", name: "Contoso Ltd" },
      { id: 251, identifier: "Fabrikam", name: "Fabrikam Inc" },
      { id: 252, identifier: "ContosoRetail", name: "Contoso Retail" },
    ],
    members: [
      { id: 150, identifier: "srivers", firstName: "Sam", lastName: "Rivers", primaryEmail: "sam.rivers@msp.example" },
      { id: 151, identifier: "pshah", firstName: "Priya", lastName: "Shah", primaryEmail: "priya.shah@msp.example", officeEmail: "priya@msp.example" },
    ],
    tickets: [
      { id: 5001, summary: "New starter", company: 250, status: "In Progress", assignee: "sam.rivers@msp.example" },
      { id: 5002, summary: "Done", company: 250, status: "Closed" },
    ],
  });
});

function cw(method: string, path: string, options: HttpRequestOptions = {}) {
  return t.http(`${base}${path}`, { ...options, method, headers: { authorization: basic, clientid: clientId, ...options.headers } });
}

describe("ConnectWise PSA authentication", () => {
  it("refuses a call without a clientId header, and wrong keys or company, with ConnectWise's error body", async () => {
    const noClientId = await t.http(`${base}/service/tickets/5001`, { headers: { authorization: basic } });
    expect(noClientId.status).toBe(400);
    expect(noClientId.json()).toMatchObject({ code: "InvalidClientId", message: expect.stringContaining("clientId") });

    for (const credential of ["acme+pub-key:wrong", "other+pub-key:priv-key", "pub-key:priv-key"]) {
      const response = await cw("GET", "/service/tickets/5001", { headers: { authorization: `Basic ${Buffer.from(credential).toString("base64")}` } });
      expect(response.status, credential).toBe(401);
      expect(response.json()).toMatchObject({ code: "Unauthorized" });
    }
    expect((await cw("GET", "/service/tickets/5001", { headers: { authorization: "Bearer x" } })).status).toBe(401);
  });
});

describe("ConnectWise PSA API", () => {
  it("reads a ticket with status, closedFlag, company and owner; 404s an unknown one as NotFound", async () => {
    expect((await cw("GET", "/service/tickets/5001")).json()).toMatchObject({
      id: 5001,
      summary: "New starter",
      status: { name: "In Progress" },
      closedFlag: false,
      company: { id: 250, identifier: "Contoso", name: "Contoso Ltd" },
      owner: { id: 150, identifier: "srivers" },
    });
    const closed = (await cw("GET", "/service/tickets/5002")).json();
    expect(closed).toMatchObject({ closedFlag: true, status: { name: "Closed" } });
    expect(closed).not.toHaveProperty("owner");

    const missing = await cw("GET", "/service/tickets/9999");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ code: "NotFound", message: "Ticket 9999 not found", errors: null });
  });

  it("follows a status change made through the control API", async () => {
    t.emulator.control.setPsaTicketStatus("connectwise", "acme", 5001, { status: "Completed" });
    expect((await cw("GET", "/service/tickets/5001")).json()).toMatchObject({ closedFlag: true, status: { name: "Completed" } });
  });

  it("lists companies by conditions, in pages of pageSize with Link headers", async () => {
    const like = await cw("GET", `/company/companies?conditions=${encodeURIComponent('name like "contoso%"')}`);
    expect(like.json<{ id: number }[]>().map((c) => c.id)).toEqual([250, 252]);
    const combined = await cw("GET", `/company/companies?conditions=${encodeURIComponent('(identifier = "Fabrikam" or id = 250) and name != "x"')}`);
    expect(combined.json<{ id: number }[]>().map((c) => c.id)).toEqual([250, 251]);

    const first = await cw("GET", "/company/companies?pageSize=2");
    expect(first.json<unknown[]>()).toHaveLength(2);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    const second = await cw("GET", "/company/companies?pageSize=2&page=2");
    expect(second.json<{ id: number }[]>().map((c) => c.id)).toEqual([252]);
    expect(second.headers.link).toContain('rel="prev"');
    expect(second.headers.link).not.toContain('rel="next"');

    const bad = await cw("GET", `/company/companies?conditions=${encodeURIComponent("name like contoso")}`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: "InvalidObject" });
  });

  it("finds members by e-mail", async () => {
    const found = await cw("GET", `/system/members?conditions=${encodeURIComponent('primaryEmail = "PRIYA.SHAH@msp.example"')}`);
    expect(found.json()).toEqual([expect.objectContaining({ identifier: "pshah", primaryEmail: "priya.shah@msp.example", officeEmail: "priya@msp.example" })]);
  });

  it("writes internal notes and time entries, refuses invalid ones, and shows them to the control API", async () => {
    const note = await cw("POST", "/service/tickets/5001/notes", { json: { text: "Admin access granted", internalAnalysisFlag: true } });
    expect(note.status).toBe(201);
    expect(note.json()).toMatchObject({ ticketId: 5001, internalAnalysisFlag: true, detailDescriptionFlag: false, member: { identifier: "StintAPI" } });
    expect((await cw("POST", "/service/tickets/9999/notes", { json: { text: "x" } })).status).toBe(404);
    const empty = await cw("POST", "/service/tickets/5001/notes", { json: { internalAnalysisFlag: true } });
    expect(empty.status).toBe(400);
    expect(empty.json()).toMatchObject({ code: "InvalidObject", errors: [expect.objectContaining({ field: "text" })] });

    const entry = await cw("POST", "/time/entries", {
      json: { chargeToId: 5001, chargeToType: "ServiceTicket", member: { identifier: "pshah" }, timeStart: "2026-01-05T10:00:00Z", timeEnd: "2026-01-05T10:45:00Z", notes: "JIT session" },
    });
    expect(entry.status).toBe(201);
    expect(entry.json()).toMatchObject({ actualHours: 0.75, member: { identifier: "pshah" }, company: { id: 250 } });
    for (const body of [
      { chargeToId: 9999, chargeToType: "ServiceTicket", timeStart: "2026-01-05T10:00:00Z", actualHours: 1 },
      { chargeToId: 5001, chargeToType: "ServiceTicket", timeStart: "2026-01-05T10:00:00Z" },
      { chargeToId: 5001, chargeToType: "ServiceTicket", timeStart: "2026-01-05T10:00:00Z", actualHours: 1, member: { identifier: "nobody" } },
    ]) {
      expect((await cw("POST", "/time/entries", { json: body })).status).toBe(400);
    }

    const snapshot = t.emulator.control.inspectConnectWiseInstance("acme");
    expect(snapshot.notes).toEqual([expect.objectContaining({ ticketId: 5001, text: "Admin access granted", member: "StintAPI" })]);
    expect(snapshot.timeEntries).toEqual([expect.objectContaining({ chargeToId: 5001, member: "pshah", timeStart: "2026-01-05T10:00:00Z", notes: "JIT session" })]);
  });

  it("answers 429 with Retry-After, then serves again; unknown paths 404 as NotFound", async () => {
    t.emulator.control.setPsaRateLimit("connectwise", "acme", { calls: 1, retryAfterSeconds: 12 });
    const refused = await cw("GET", "/service/tickets/5001");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("12");
    expect(refused.json()).toMatchObject({ code: "TooManyRequests" });
    expect((await cw("GET", "/service/tickets/5001")).status).toBe(200);

    const unknown = await cw("GET", "/service/boards");
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "NotFound" });
    expect((await t.http(`${t.emulator.url}/connectwise/acme/v2099_1/apis/3.0/service/tickets/5001`)).status).toBe(404);
  });
});
