import { beforeEach, describe, expect, it } from "vitest";
import { createServer, type Socket } from "node:net";
import { sandboxPsa } from "@/emulator/sandbox";
import { expireHaloTokens, inspectHaloInstance, psaBaseUrl, psaInstanceName, putHaloInstance, setPsaRateLimit, setPsaTicketStatus, psaRefusal } from "@/test/psa";
import { psaClientFor } from "./client-for";
import { psaSettingsSchema } from "./settings";
import type { PsaClient } from "./types";

let instance: string;
let client: PsaClient;
const secret = "halo-secret";

function haloClient(overrides: Record<string, unknown> = {}): PsaClient {
  return psaClientFor(
    psaSettingsSchema.parse({ kind: "halopsa", baseUrl: psaBaseUrl("halo", instance), clientId: "stint", clientSecret: secret, tenant: "msp", ...overrides }),
  );
}


beforeEach(async () => {
  instance = psaInstanceName("halo-client");
  await putHaloInstance(instance, {
    clientId: "stint",
    clientSecret: secret,
    tenant: "msp",
    clients: [{ id: 12, name: "Contoso" }, ...Array.from({ length: 120 }, (_, i) => ({ id: 100 + i, name: `Customer ${String(i).padStart(3, "0")}` }))],
    agents: [{ id: 3, name: "Sam Rivers", email: "sam.rivers@msp.example" }],
    tickets: [
      { id: 1001, summary: "New starter", company: 12, status: "In Progress", assignee: "sam.rivers@msp.example" },
      { id: 1002, summary: "Nobody's", company: 12 },
    ],
  });
  client = haloClient();
});

describe("HaloPsaClient against the emulator", () => {
  it("checks the settings and lists every client across pages", async () => {
    await client.check();
    const companies = await client.listCompanies();
    expect(companies).toHaveLength(121);
    expect(companies).toContainEqual({ id: "12", name: "Contoso" });
  });

  it("reads tickets as typed, with status, company and assignee; null for unknown or malformed refs", async () => {
    expect(await client.getTicket("#1001")).toEqual({
      id: "1001",
      summary: "New starter",
      status: "In Progress",
      closed: false,
      company: { id: "12", name: "Contoso" },
      assigneeEmail: "sam.rivers@msp.example",
    });
    expect(await client.getTicket("1002")).toMatchObject({ status: "New", assigneeEmail: null });
    await setPsaTicketStatus("halo", instance, 1002, "Closed");
    expect(await client.getTicket(" 0001002 ")).toMatchObject({ status: "Closed", closed: true });
    expect(await client.getTicket("9999")).toBeNull();
    expect(await client.getTicket("T-1001")).toBeNull();
  });

  it("writes a private note and a time entry booked for the technician, or for the application when unknown", async () => {
    await client.addNote("1001", "Admin access granted until 14:00");
    const start = new Date("2026-01-05T10:00:00Z");
    await client.addTimeEntry({ ticketId: "#1001", start, minutes: 45, notes: "JIT session", technicianEmail: "SAM.RIVERS@msp.example" });
    await client.addTimeEntry({ ticketId: "1001", start, minutes: 30, notes: "JIT session", technicianEmail: "stranger@elsewhere.example" });
    const { actions } = await inspectHaloInstance(instance);
    expect(actions).toEqual([
      expect.objectContaining({ ticket_id: 1001, note: "Admin access granted until 14:00", outcome: "Private Note", hiddenfromuser: true, timetaken: 0 }),
      expect.objectContaining({ timetaken: 0.75, who_agentid: 3, actionarrivaldate: start.toISOString(), actioncompletiondate: "2026-01-05T10:45:00.000Z" }),
      expect.objectContaining({ timetaken: 0.5, who_agentid: null }),
    ]);
    expect((await psaRefusal(client.addNote("9999", "x"))).code).toBe("rejected");
  });

  it("caches the token, and renews it once when Halo stops accepting it", async () => {
    await client.getTicket("1001");
    await client.getTicket("1002");
    expect((await inspectHaloInstance(instance)).activeTokens).toBe(1);
    await expireHaloTokens(instance);
    expect(await client.getTicket("1001")).toMatchObject({ id: "1001" });
    expect((await inspectHaloInstance(instance)).activeTokens).toBe(1);
  });

  it("maps refusals to PsaError codes: credentials, rate limit with Retry-After, unreachable", async () => {
    expect((await psaRefusal(haloClient({ clientSecret: "wrong" }).check())).code).toBe("unauthorized");
    expect((await psaRefusal(haloClient({ tenant: "other" }).check())).code).toBe("unauthorized");

    await setPsaRateLimit("halo", instance, { calls: 5, retryAfterSeconds: 20 });
    const limited = await psaRefusal(client.getTicket("1001"));
    expect(limited).toMatchObject({ code: "rate_limited", status: 429, retryAfterSeconds: 20 });

    const nowhere = await psaRefusal(haloClient({ baseUrl: "https://127.0.0.1:1/halo/x" }).check());
    expect(nowhere.code).toBe("unavailable");
    expect((await psaRefusal(haloClient({ baseUrl: psaBaseUrl("halo", "no-such-instance") }).check())).code).toBe("not_found");
  });

  it("gives up on a PSA that accepts the connection but never answers", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const settings = psaSettingsSchema.parse({ kind: "halopsa", baseUrl: `https://127.0.0.1:${port}`, clientId: "c", clientSecret: "s" });
      const error = await psaRefusal(psaClientFor(settings, { timeoutMs: 300 }).check());
      expect(error).toMatchObject({ code: "unavailable", message: expect.stringContaining("did not answer") });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("reads the sandbox's HaloPSA with the sandbox credentials", async () => {
    const { instance: sandbox, clientId, clientSecret } = sandboxPsa.halo;
    const sandboxClient = psaClientFor({ kind: "halopsa", baseUrl: psaBaseUrl("halo", sandbox), clientId, clientSecret });
    expect(await sandboxClient.listCompanies()).toEqual([
      { id: "12", name: "Contoso" },
      { id: "15", name: "Fabrikam" },
    ]);
    expect(await sandboxClient.getTicket("1002")).toMatchObject({ company: { name: "Contoso" }, closed: false, assigneeEmail: null });
    expect(await sandboxClient.getTicket("1003")).toMatchObject({ closed: true });
  });
});
