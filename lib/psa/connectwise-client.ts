import { z } from "zod";
import { defaultPsaTimeoutMs, errorFor, readJson, send } from "./http";
import type { ConnectWiseSettings } from "./settings";
import { parseTicketRef } from "./ticket-ref";
import { PsaError, type PsaClient, type PsaCompany, type PsaTicket, type PsaTimeEntry } from "./types";

/** ConnectWise's hard limit per page. */
const maxPageSize = 1000;
/** A guard against a server that never ends its pages. */
const maxCompanyPages = 50;

const reference = z.object({ id: z.number(), name: z.string().nullish() });
const ticketAnswer = z.object({
  id: z.number(),
  summary: z.string().nullish(),
  status: reference.nullish(),
  closedFlag: z.boolean().nullish(),
  company: reference,
  owner: z.object({ identifier: z.string() }).nullish(),
  resources: z.string().nullish(),
});
const companiesAnswer = z.array(z.object({ id: z.number(), name: z.string() }));
const membersAnswer = z.array(z.object({ identifier: z.string(), primaryEmail: z.string().nullish(), officeEmail: z.string().nullish() }));

/** A string value in a `conditions` clause. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;

/** ConnectWise date-times are second-precision UTC. */
const cwTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** ConnectWise PSA's REST API (`{site}/v4_6_release/apis/3.0`) as an API member, with the integration's clientId. */
export class ConnectWiseClient implements PsaClient {
  readonly kind = "connectwise" as const;
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    settings: ConnectWiseSettings,
    private readonly timeoutMs = defaultPsaTimeoutMs,
  ) {
    this.base = `${settings.siteUrl}/v4_6_release/apis/3.0`;
    const credential = Buffer.from(`${settings.companyId}+${settings.publicKey}:${settings.privateKey}`).toString("base64");
    this.headers = { authorization: `Basic ${credential}`, clientId: settings.clientId, accept: "application/json" };
  }

  /** One call; null for a 404 when `missingIsNull`. A 400 about the clientId names it. */
  private async call(method: string, path: string, options: { body?: unknown; missingIsNull?: boolean } = {}): Promise<Response | null> {
    const response = await send("ConnectWise", `${this.base}${path}`, {
      method,
      headers: { ...this.headers, ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      timeoutMs: this.timeoutMs,
    });
    if (response.ok) return response;
    if (response.status === 404 && options.missingIsNull) return null;
    const error = await errorFor("ConnectWise", response, "ConnectWise refused the company ID or the API member's keys.");
    if (error.code === "rejected" && /clientid/i.test(error.message)) {
      throw new PsaError("ConnectWise refused the client ID: use the integration's GUID from the ConnectWise developer portal.", "unauthorized", error.status);
    }
    throw error;
  }

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return readJson("ConnectWise", (await this.call("GET", path))!, schema);
  }

  async check(): Promise<void> {
    await this.get("/company/companies?pageSize=1", companiesAnswer);
  }

  async listCompanies(): Promise<PsaCompany[]> {
    const companies: PsaCompany[] = [];
    const conditions = encodeURIComponent("deletedFlag = false");
    for (let page = 1; page <= maxCompanyPages; page++) {
      const batch = await this.get(`/company/companies?conditions=${conditions}&orderBy=id&pageSize=${maxPageSize}&page=${page}`, companiesAnswer);
      companies.push(...batch.map((c) => ({ id: String(c.id), name: c.name })));
      if (batch.length < maxPageSize) break;
    }
    return companies;
  }

  async getTicket(ticketId: string): Promise<PsaTicket | null> {
    const id = parseTicketRef(ticketId);
    if (id === null) return null;
    const response = await this.call("GET", `/service/tickets/${id}`, { missingIsNull: true });
    if (!response) return null;
    const ticket = await readJson("ConnectWise", response, ticketAnswer);
    const assignee = ticket.owner?.identifier ?? ticket.resources?.split(",")[0]?.trim();
    return {
      id: String(ticket.id),
      summary: ticket.summary ?? "",
      status: ticket.status?.name ?? "",
      closed: ticket.closedFlag ?? false,
      company: { id: String(ticket.company.id), name: ticket.company.name ?? "" },
      assigneeEmail: assignee ? await this.memberEmail(assignee) : null,
    };
  }

  private async findMember(conditions: string) {
    return (await this.get(`/system/members?conditions=${encodeURIComponent(conditions)}&pageSize=1`, membersAnswer))[0];
  }

  private async memberEmail(identifier: string): Promise<string | null> {
    const member = await this.findMember(`identifier = ${quoted(identifier)}`);
    return member?.primaryEmail || member?.officeEmail || null;
  }

  private ticketNumber(ticketId: string): number {
    const id = parseTicketRef(ticketId);
    if (id === null) throw new PsaError(`"${ticketId}" is not a ConnectWise ticket number.`, "not_found");
    return id;
  }

  async addNote(ticketId: string, text: string): Promise<void> {
    const body = { text, internalAnalysisFlag: true, detailDescriptionFlag: false, resolutionFlag: false };
    await this.call("POST", `/service/tickets/${this.ticketNumber(ticketId)}/notes`, { body });
  }

  async addTimeEntry(entry: PsaTimeEntry): Promise<void> {
    const chargeToId = this.ticketNumber(entry.ticketId);
    const email = entry.technicianEmail;
    const member = email ? await this.findMember(`primaryEmail = ${quoted(email)} or officeEmail = ${quoted(email)}`) : undefined;
    await this.call("POST", "/time/entries", {
      body: {
        chargeToId,
        chargeToType: "ServiceTicket",
        ...(member ? { member: { identifier: member.identifier } } : {}),
        timeStart: cwTime(entry.start),
        timeEnd: cwTime(new Date(entry.start.getTime() + entry.minutes * 60_000)),
        notes: entry.notes,
      },
    });
  }
}
