import { defaultHaloStatuses, haloClosedStatusId, type HaloAction, type HaloInstance, type HaloStatus } from "../psa/halo/instance";
import type { RateLimit } from "../psa/store";
import { ControlError } from "./control-error";
import { statusNamed } from "./psa-lookups";
import { haloInstanceSeedSchema, psaInstanceName, type HaloInstanceSeed } from "./psa-schemas";

export interface HaloTicketSnapshot {
  id: number;
  summary: string;
  clientId: number;
  clientName: string;
  status: string;
  closed: boolean;
  agentEmail: string | null;
}

export interface HaloInstanceSnapshot {
  name: string;
  clientId: string;
  tenant: string | null;
  tokenLifetimeSeconds: number;
  /** Issued tokens that have not expired. */
  activeTokens: number;
  clients: { id: number; name: string; inactive: boolean }[];
  agents: { id: number; name: string; email: string }[];
  statuses: HaloStatus[];
  tickets: HaloTicketSnapshot[];
  /** Every action written through the API, in order: notes and time (`timetaken`, hours) alike. */
  actions: HaloAction[];
  rateLimit: RateLimit;
}


/** Creates the instance, or replaces it (tokens, actions and rate limit included). */
export function putHaloInstance(instances: Map<string, HaloInstance>, rawName: string, input: HaloInstanceSeed): HaloInstanceSnapshot {
  const name = psaInstanceName.parse(rawName);
  const seed = haloInstanceSeedSchema.parse(input);
  const instance: HaloInstance = {
    name,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    tenant: seed.tenant ?? null,
    tokenLifetimeSeconds: seed.tokenLifetimeSeconds,
    tokens: new Map(),
    clients: new Map(seed.clients.map((c) => [c.id, { ...c }])),
    agents: new Map(seed.agents.map((a) => [a.id, { ...a }])),
    statuses: new Map((seed.statuses ?? defaultHaloStatuses).map((s) => [s.id, { ...s }])),
    tickets: new Map(),
    actions: [],
    rateLimit: { remaining: 0, retryAfterSeconds: 0 },
  };
  for (const ticket of seed.tickets) {
    if (!instance.clients.has(ticket.company)) throw new ControlError(400, `Ticket ${ticket.id}: client ${ticket.company} is not a client of the instance.`);
    const agent = ticket.assignee && [...instance.agents.values()].find((a) => a.email.toLowerCase() === ticket.assignee?.toLowerCase());
    if (ticket.assignee && !agent) throw new ControlError(400, `Ticket ${ticket.id}: no agent has the e-mail ${ticket.assignee}.`);
    instance.tickets.set(ticket.id, {
      id: ticket.id,
      summary: ticket.summary,
      details: "",
      client_id: ticket.company,
      status_id: statusNamed(instance.statuses, ticket.status).id,
      agent_id: agent ? agent.id : 0,
      dateoccurred: new Date().toISOString(),
    });
  }
  instances.set(name, instance);
  return haloSnapshot(instance);
}

export function findHaloInstance(instances: Map<string, HaloInstance>, name: string): HaloInstance {
  const instance = instances.get(name.toLowerCase());
  if (!instance) throw new ControlError(404, `HaloPSA instance ${name} not found.`);
  return instance;
}

export function setHaloTicketStatus(instance: HaloInstance, ticketId: number, statusName: string): HaloTicketSnapshot {
  const ticket = instance.tickets.get(ticketId);
  if (!ticket) throw new ControlError(404, `Ticket ${ticketId} not found in HaloPSA instance ${instance.name}.`);
  ticket.status_id = statusNamed(instance.statuses, statusName).id;
  return ticketSnapshot(instance, ticket.id);
}

function ticketSnapshot(instance: HaloInstance, id: number): HaloTicketSnapshot {
  const ticket = instance.tickets.get(id)!;
  return {
    id: ticket.id,
    summary: ticket.summary,
    clientId: ticket.client_id,
    clientName: instance.clients.get(ticket.client_id)?.name ?? "",
    status: instance.statuses.get(ticket.status_id)?.name ?? "",
    closed: ticket.status_id === haloClosedStatusId,
    agentEmail: instance.agents.get(ticket.agent_id)?.email ?? null,
  };
}

export function haloSnapshot(instance: HaloInstance): HaloInstanceSnapshot {
  const now = Date.now();
  return {
    name: instance.name,
    clientId: instance.clientId,
    tenant: instance.tenant,
    tokenLifetimeSeconds: instance.tokenLifetimeSeconds,
    activeTokens: [...instance.tokens.values()].filter((expiresAt) => expiresAt > now).length,
    clients: [...instance.clients.values()].map((c) => ({ ...c })),
    agents: [...instance.agents.values()].map((a) => ({ ...a })),
    statuses: [...instance.statuses.values()].map((s) => ({ ...s })),
    tickets: [...instance.tickets.keys()].map((id) => ticketSnapshot(instance, id)),
    actions: instance.actions.map((a) => ({ ...a })),
    rateLimit: { ...instance.rateLimit },
  };
}
