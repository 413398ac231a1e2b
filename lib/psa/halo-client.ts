import { z } from "zod";
import { defaultPsaTimeoutMs, errorFor, readJson, send } from "./http";
import { haloToken } from "./halo-token";
import type { HaloSettings } from "./settings";
import { parseTicketRef } from "./ticket-ref";
import { PsaError, type PsaClient, type PsaCompany, type PsaTicket, type PsaTimeEntry } from "./types";

/** Halo's built-in Closed status has this fixed id; other statuses (Resolved included) leave a ticket open. */
const closedStatusId = 9;
/** The action outcome of Stint's notes and time: Halo's private note, hidden from the end user. */
const noteOutcome = "Private Note";
const clientPageSize = 100;
/** More clients than any MSP has; a guard against a server that never ends its pages. */
const maxClientPages = 100;

const ticketAnswer = z.object({
  id: z.number(),
  summary: z.string().nullish(),
  client_id: z.number(),
  client_name: z.string().nullish(),
  status_id: z.number(),
  agent_id: z.number().nullish(),
});
const statusesAnswer = z.array(z.object({ id: z.number(), name: z.string() }));
const agentAnswer = z.object({ id: z.number(), email: z.string().nullish() });
const clientsAnswer = z.object({ record_count: z.number(), clients: z.array(z.object({ id: z.number(), name: z.string() })) });

const unauthorized = "HaloPSA refused Stint's token: check the API application's permissions.";

/** HaloPSA's REST API as an API application (client credentials, scope all). */
export class HaloPsaClient implements PsaClient {
  readonly kind = "halopsa" as const;
  private statusNames: Promise<Map<number, string>> | undefined;

  constructor(
    private readonly settings: HaloSettings,
    private readonly timeoutMs = defaultPsaTimeoutMs,
  ) {}

  /** An API call with the application's token, renewed once if Halo refuses it; null for a 404 when `missingIsNull`. */
  private async call(method: string, path: string, options: { body?: unknown; missingIsNull?: boolean } = {}): Promise<Response | null> {
    const attempt = async (renew: boolean) =>
      send("HaloPSA", `${this.settings.baseUrl}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await haloToken(this.settings, this.timeoutMs, renew)}`,
          accept: "application/json",
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        timeoutMs: this.timeoutMs,
      });
    let response = await attempt(false);
    if (response.status === 401) response = await attempt(true);
    if (response.ok) return response;
    if (response.status === 404 && options.missingIsNull) return null;
    throw await errorFor("HaloPSA", response, unauthorized);
  }

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return readJson("HaloPSA", (await this.call("GET", path))!, schema);
  }

  async check(): Promise<void> {
    await this.get(`/Client?pageinate=true&page_size=1&page_no=1`, clientsAnswer);
  }

  async listCompanies(): Promise<PsaCompany[]> {
    const companies: PsaCompany[] = [];
    for (let page = 1; page <= maxClientPages; page++) {
      const answer = await this.get(`/Client?pageinate=true&page_size=${clientPageSize}&page_no=${page}`, clientsAnswer);
      companies.push(...answer.clients.map((c) => ({ id: String(c.id), name: c.name })));
      if (answer.clients.length < clientPageSize || companies.length >= answer.record_count) break;
    }
    return companies;
  }

  async getTicket(ticketId: string): Promise<PsaTicket | null> {
    const id = parseTicketRef(ticketId);
    if (id === null) return null;
    const response = await this.call("GET", `/Tickets/${id}`, { missingIsNull: true });
    if (!response) return null;
    const ticket = await readJson("HaloPSA", response, ticketAnswer);
    const [statuses, assigneeEmail] = await Promise.all([this.statuses(), this.agentEmail(ticket.agent_id ?? 0)]);
    return {
      id: String(ticket.id),
      summary: ticket.summary ?? "",
      status: statuses.get(ticket.status_id) ?? `Status ${ticket.status_id}`,
      closed: ticket.status_id === closedStatusId,
      company: { id: String(ticket.client_id), name: ticket.client_name ?? "" },
      assigneeEmail,
    };
  }

  /** Status names by id, read once per client. */
  private statuses(): Promise<Map<number, string>> {
    this.statusNames ??= this.get("/Status", statusesAnswer).then((list) => new Map(list.map((s) => [s.id, s.name])));
    return this.statusNames;
  }

  private async agentEmail(agentId: number): Promise<string | null> {
    if (agentId <= 0) return null;
    const response = await this.call("GET", `/Agent/${agentId}`, { missingIsNull: true });
    return response ? (await readJson("HaloPSA", response, agentAnswer)).email || null : null;
  }

  /** The agent with this e-mail, if Halo has one. */
  private async agentIdByEmail(email: string): Promise<number | undefined> {
    const agents = await this.get(`/Agent?search=${encodeURIComponent(email)}`, z.array(agentAnswer));
    return agents.find((a) => a.email?.toLowerCase() === email.toLowerCase())?.id;
  }

  private async writeAction(ticketId: string, action: Record<string, unknown>): Promise<void> {
    const id = parseTicketRef(ticketId);
    if (id === null) throw new PsaError(`"${ticketId}" is not a HaloPSA ticket number.`, "not_found");
    await this.call("POST", "/Actions", { body: [{ ticket_id: id, outcome: noteOutcome, hiddenfromuser: true, ...action }] });
  }

  async addNote(ticketId: string, text: string): Promise<void> {
    await this.writeAction(ticketId, { note: text });
  }

  async addTimeEntry(entry: PsaTimeEntry): Promise<void> {
    const agentId = entry.technicianEmail ? await this.agentIdByEmail(entry.technicianEmail) : undefined;
    const end = new Date(entry.start.getTime() + entry.minutes * 60_000);
    await this.writeAction(entry.ticketId, {
      note: entry.notes,
      timetaken: Math.round((entry.minutes / 60) * 10_000) / 10_000,
      actiondatecreated: entry.start.toISOString(),
      actionarrivaldate: entry.start.toISOString(),
      actioncompletiondate: end.toISOString(),
      ...(agentId === undefined ? {} : { who_agentid: agentId }),
    });
  }
}
