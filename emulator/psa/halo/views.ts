import type { HaloAgent, HaloClient, HaloInstance, HaloStatus, HaloTicket } from "./instance";

/** Halo's JSON for the records the emulator keeps: snake_case fields, ids as numbers, unassigned agent as 0. */

export function ticketView(instance: HaloInstance, ticket: HaloTicket): Record<string, unknown> {
  const client = instance.clients.get(ticket.client_id);
  return {
    id: ticket.id,
    summary: ticket.summary,
    details: ticket.details,
    dateoccurred: ticket.dateoccurred,
    status_id: ticket.status_id,
    tickettype_id: 1,
    client_id: ticket.client_id,
    client_name: client?.name ?? "",
    site_id: ticket.client_id,
    site_name: "Main",
    agent_id: ticket.agent_id,
    team: "",
    priority_id: 3,
  };
}

export function statusView(status: HaloStatus, sequence: number): Record<string, unknown> {
  return { id: status.id, name: status.name, shortname: status.name, colour: "#808080", sequence };
}

export function clientView(client: HaloClient): Record<string, unknown> {
  return { id: client.id, name: client.name, inactive: client.inactive };
}

export function agentView(agent: HaloAgent): Record<string, unknown> {
  return { id: agent.id, name: agent.name, email: agent.email, isdisabled: false };
}
