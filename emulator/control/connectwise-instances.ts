import { defaultCwStatuses, type ConnectWiseInstance, type CwMember, type CwNote, type CwStatus, type CwTimeEntry } from "../psa/connectwise/instance";
import type { RateLimit } from "../psa/store";
import { directoryTimestamp } from "../state";
import { ControlError } from "./control-error";
import { statusNamed } from "./psa-lookups";
import { connectWiseInstanceSeedSchema, psaInstanceName, type ConnectWiseInstanceSeed } from "./psa-schemas";

export interface CwTicketSnapshot {
  id: number;
  summary: string;
  companyId: number;
  companyName: string;
  status: string;
  closed: boolean;
  /** The owner's member identifier and e-mail; null when nobody owns the ticket. */
  owner: string | null;
  ownerEmail: string | null;
}

export interface ConnectWiseInstanceSnapshot {
  name: string;
  companyId: string;
  publicKey: string;
  apiMember: string;
  companies: { id: number; identifier: string; name: string }[];
  members: CwMember[];
  statuses: CwStatus[];
  tickets: CwTicketSnapshot[];
  /** Notes written through the API, in order. */
  notes: CwNote[];
  /** Time entries written through the API, in order. */
  timeEntries: CwTimeEntry[];
  rateLimit: RateLimit;
}


/** Creates the site, or replaces it (notes, time entries and rate limit included). */
export function putConnectWiseInstance(instances: Map<string, ConnectWiseInstance>, rawName: string, input: ConnectWiseInstanceSeed): ConnectWiseInstanceSnapshot {
  const name = psaInstanceName.parse(rawName);
  const seed = connectWiseInstanceSeedSchema.parse(input);
  const instance: ConnectWiseInstance = {
    name,
    companyId: seed.companyId,
    publicKey: seed.publicKey,
    privateKey: seed.privateKey,
    apiMember: seed.apiMember,
    companies: new Map(seed.companies.map((c) => [c.id, { ...c }])),
    members: new Map(seed.members.map((m) => [m.id, { ...m, officeEmail: m.officeEmail ?? null }])),
    statuses: new Map((seed.statuses ?? defaultCwStatuses).map((s) => [s.id, { ...s }])),
    tickets: new Map(),
    notes: [],
    timeEntries: [],
    rateLimit: { remaining: 0, retryAfterSeconds: 0 },
  };
  for (const ticket of seed.tickets) {
    if (!instance.companies.has(ticket.company)) throw new ControlError(400, `Ticket ${ticket.id}: company ${ticket.company} is not a company of the site.`);
    const owner = ticket.assignee && [...instance.members.values()].find((m) => m.primaryEmail.toLowerCase() === ticket.assignee?.toLowerCase());
    if (ticket.assignee && !owner) throw new ControlError(400, `Ticket ${ticket.id}: no member has the e-mail ${ticket.assignee}.`);
    instance.tickets.set(ticket.id, {
      id: ticket.id,
      summary: ticket.summary,
      companyId: ticket.company,
      statusId: statusNamed(instance.statuses, ticket.status).id,
      owner: owner ? owner.identifier : null,
      dateEntered: directoryTimestamp(),
    });
  }
  instances.set(name, instance);
  return connectWiseSnapshot(instance);
}

export function findConnectWiseInstance(instances: Map<string, ConnectWiseInstance>, name: string): ConnectWiseInstance {
  const instance = instances.get(name.toLowerCase());
  if (!instance) throw new ControlError(404, `ConnectWise instance ${name} not found.`);
  return instance;
}

export function setConnectWiseTicketStatus(instance: ConnectWiseInstance, ticketId: number, statusName: string): CwTicketSnapshot {
  const ticket = instance.tickets.get(ticketId);
  if (!ticket) throw new ControlError(404, `Ticket ${ticketId} not found in ConnectWise instance ${instance.name}.`);
  ticket.statusId = statusNamed(instance.statuses, statusName).id;
  return ticketSnapshot(instance, ticket.id);
}

function ticketSnapshot(instance: ConnectWiseInstance, id: number): CwTicketSnapshot {
  const ticket = instance.tickets.get(id)!;
  const status = instance.statuses.get(ticket.statusId);
  const owner = ticket.owner ? [...instance.members.values()].find((m) => m.identifier === ticket.owner) : undefined;
  return {
    id: ticket.id,
    summary: ticket.summary,
    companyId: ticket.companyId,
    companyName: instance.companies.get(ticket.companyId)?.name ?? "",
    status: status?.name ?? "",
    closed: status?.closed ?? false,
    owner: ticket.owner,
    ownerEmail: owner?.primaryEmail ?? null,
  };
}

export function connectWiseSnapshot(instance: ConnectWiseInstance): ConnectWiseInstanceSnapshot {
  return {
    name: instance.name,
    companyId: instance.companyId,
    publicKey: instance.publicKey,
    apiMember: instance.apiMember,
    companies: [...instance.companies.values()].map((c) => ({ ...c })),
    members: [...instance.members.values()].map((m) => ({ ...m })),
    statuses: [...instance.statuses.values()].map((s) => ({ ...s })),
    tickets: [...instance.tickets.keys()].map((id) => ticketSnapshot(instance, id)),
    notes: instance.notes.map((n) => ({ ...n })),
    timeEntries: instance.timeEntries.map((e) => ({ ...e })),
    rateLimit: { ...instance.rateLimit },
  };
}
