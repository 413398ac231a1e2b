import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness";

let t: TestEmulator;
let control: string;

beforeAll(async () => {
  t = await startTestEmulator();
  control = `${t.emulator.url}/_emulator/psa`;
});
afterAll(() => t.stop());

const halo = {
  clientId: "c",
  clientSecret: "s",
  clients: [{ id: 1, name: "Contoso" }],
  agents: [{ id: 2, name: "Sam", email: "sam@msp.example" }],
  tickets: [{ id: 10, summary: "Open", company: 1, assignee: "sam@msp.example" }],
};

describe("PSA control API", () => {
  it("creates, replaces and inspects instances over HTTP", async () => {
    const created = await t.http(`${control}/halo/Acme`, { method: "PUT", json: halo });
    expect(created.status).toBe(200);
    expect(created.json()).toMatchObject({ name: "acme", tickets: [{ id: 10, status: "New", closed: false, agentEmail: "sam@msp.example" }] });
    const replaced = await t.http(`${control}/halo/acme`, { method: "PUT", json: { ...halo, tickets: [] } });
    expect(replaced.json()).toMatchObject({ tickets: [] });
    expect((await t.http(`${control}/halo/acme`)).json()).toMatchObject({ name: "acme", actions: [] });
  });

  it("refuses bad seeds with 400 and unknown instances or PSAs with 404", async () => {
    const cases: [string, unknown][] = [
      ["halo/x", { ...halo, tickets: [{ id: 10, summary: "x", company: 99 }] }],
      ["halo/x", { ...halo, tickets: [{ id: 10, summary: "x", company: 1, assignee: "nobody@msp.example" }] }],
      ["halo/x", { ...halo, tickets: [{ id: 10, summary: "x", company: 1, status: "Nope" }] }],
      ["halo/x", { ...halo, statuses: [{ id: 1, name: "New" }] }],
      ["halo/bad_name!", halo],
      ["connectwise/x", { companyId: "a", publicKey: "b" }],
    ];
    for (const [path, body] of cases) expect((await t.http(`${control}/${path}`, { method: "PUT", json: body })).status, path).toBe(400);
    expect((await t.http(`${control}/halo/missing`)).status).toBe(404);
    expect((await t.http(`${control}/autotask/x/rate-limit`, { method: "PUT", json: { calls: 1 } })).status).toBe(404);
  });

  it("closes a ticket, and reset forgets every PSA instance", async () => {
    await t.http(`${control}/halo/acme`, { method: "PUT", json: halo });
    const closed = await t.http(`${control}/halo/acme/tickets/10/status`, { method: "PUT", json: { status: "Closed" } });
    expect(closed.json()).toMatchObject({ id: 10, status: "Closed", closed: true });
    expect((await t.http(`${control}/halo/acme/tickets/11/status`, { method: "PUT", json: { status: "Closed" } })).status).toBe(404);

    await t.http(`${t.emulator.url}/_emulator/reset`, { method: "POST" });
    expect((await t.http(`${control}/halo/acme`)).status).toBe(404);
  });
});
