import { beforeEach, describe, expect, it } from "vitest";
import { inspectConnectWiseInstance, psaBaseUrl, psaInstanceName, putConnectWiseInstance, setPsaRateLimit, setPsaTicketStatus, psaRefusal } from "@/test/psa";
import { psaClientFor } from "./client-for";
import { ConnectWiseClient } from "./connectwise-client";
import { connectWiseSettingsSchema, psaSettingsSchema } from "./settings";
import type { PsaClient } from "./types";

let instance: string;
let client: PsaClient;

function cwClient(overrides: Record<string, unknown> = {}): PsaClient {
  return psaClientFor(
    psaSettingsSchema.parse({
      kind: "connectwise",
      siteUrl: psaBaseUrl("connectwise", instance),
      companyId: "acme",
      publicKey: "pub",
      privateKey: "priv",
      clientId: "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      ...overrides,
    }),
  );
}


beforeEach(async () => {
  instance = psaInstanceName("cw-client");
  await putConnectWiseInstance(instance, {
    companyId: "Acme",
    publicKey: "pub",
    privateKey: "priv",
    companies: [{ id: 250, identifier: "Contoso", name: "Contoso Ltd" }, ...Array.from({ length: 1005 }, (_, i) => ({ id: 1000 + i, identifier: `C${i}`, name: `Customer ${i}` }))],
    members: [
      { id: 150, identifier: "srivers", firstName: "Sam", lastName: "Rivers", primaryEmail: "sam.rivers@msp.example" },
      { id: 151, identifier: "pshah", firstName: "Priya", lastName: "Shah", primaryEmail: "priya.shah@msp.example", officeEmail: "priya@msp.example" },
    ],
    tickets: [
      { id: 5001, summary: "New starter", company: 250, status: "In Progress", assignee: "sam.rivers@msp.example" },
      { id: 5002, summary: "Nobody's", company: 250 },
    ],
  });
  client = cwClient();
});

describe("ConnectWiseClient against the emulator", () => {
  it("checks the settings and lists every company across pages of 1000", async () => {
    await client.check();
    const companies = await client.listCompanies();
    expect(companies).toHaveLength(1006);
    expect(companies[0]).toEqual({ id: "250", name: "Contoso Ltd" });
  });

  it("reads tickets as typed, with status, closed flag, company and owner's e-mail; null for unknown or malformed refs", async () => {
    expect(await client.getTicket("#5001")).toEqual({
      id: "5001",
      summary: "New starter",
      status: "In Progress",
      closed: false,
      company: { id: "250", name: "Contoso Ltd" },
      assigneeEmail: "sam.rivers@msp.example",
    });
    expect(await client.getTicket("5002")).toMatchObject({ status: "New", assigneeEmail: null });
    await setPsaTicketStatus("connectwise", instance, 5002, "Completed");
    expect(await client.getTicket("5002")).toMatchObject({ status: "Completed", closed: true });
    expect(await client.getTicket("9999")).toBeNull();
    expect(await client.getTicket("abc")).toBeNull();
  });

  it("writes an internal note and time entries for the member with that e-mail, or the API member", async () => {
    await client.addNote("5001", "Admin access granted until 14:00");
    const start = new Date("2026-01-05T10:00:00.250Z");
    await client.addTimeEntry({ ticketId: "5001", start, minutes: 45, notes: "JIT session", technicianEmail: "priya@msp.example" });
    await client.addTimeEntry({ ticketId: "5001", start, minutes: 15, notes: "JIT session", technicianEmail: "stranger@elsewhere.example" });
    const snapshot = await inspectConnectWiseInstance(instance);
    expect(snapshot.notes).toEqual([expect.objectContaining({ ticketId: 5001, text: "Admin access granted until 14:00", internalAnalysisFlag: true, detailDescriptionFlag: false })]);
    expect(snapshot.timeEntries).toEqual([
      expect.objectContaining({ member: "pshah", timeStart: "2026-01-05T10:00:00Z", timeEnd: "2026-01-05T10:45:00Z", actualHours: 0.75 }),
      expect.objectContaining({ member: "StintAPI", actualHours: 0.25 }),
    ]);
    expect((await psaRefusal(client.addNote("9999", "x"))).code).toBe("not_found");
  });

  it("maps refusals to PsaError codes: keys, clientId, rate limit with Retry-After, unreachable", async () => {
    expect((await psaRefusal(cwClient({ privateKey: "wrong" }).check())).code).toBe("unauthorized");
    const settings = connectWiseSettingsSchema.parse({ kind: "connectwise", siteUrl: psaBaseUrl("connectwise", instance), companyId: "acme", publicKey: "pub", privateKey: "priv", clientId: "x" });
    const noClientId = new ConnectWiseClient({ ...settings, clientId: "" });
    expect(await psaRefusal(noClientId.check())).toMatchObject({ code: "unauthorized", message: expect.stringContaining("client ID") });

    await setPsaRateLimit("connectwise", instance, { calls: 1, retryAfterSeconds: 9 });
    expect(await psaRefusal(client.getTicket("5001"))).toMatchObject({ code: "rate_limited", retryAfterSeconds: 9 });
    expect(await client.getTicket("5001")).toMatchObject({ id: "5001" });

    expect((await psaRefusal(cwClient({ siteUrl: "https://127.0.0.1:1" }).check())).code).toBe("unavailable");
  });
});
