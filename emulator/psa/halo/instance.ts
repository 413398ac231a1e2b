import type { RateLimit } from "../store";

/** A customer organisation (Halo calls them clients). */
export interface HaloClient {
  id: number;
  name: string;
  inactive: boolean;
}

export interface HaloAgent {
  id: number;
  name: string;
  email: string;
}

export interface HaloStatus {
  id: number;
  name: string;
}

export interface HaloTicket {
  id: number;
  summary: string;
  details: string;
  client_id: number;
  status_id: number;
  /** 0 when nobody is assigned, as Halo answers it. */
  agent_id: number;
  dateoccurred: string;
}

/** An action (note, e-mail, time) as written through `POST /api/Actions`, with the fields the emulator keeps. */
export interface HaloAction {
  id: number;
  ticket_id: number;
  outcome: string;
  note: string;
  hiddenfromuser: boolean;
  /** Hours, as Halo counts time on actions. */
  timetaken: number;
  who_agentid: number | null;
  /** The agent's name, or the API application's when no agent was named. */
  who: string;
  actiondatecreated: string;
  actionarrivaldate: string | null;
  actioncompletiondate: string | null;
}

export interface HaloInstance {
  name: string;
  clientId: string;
  clientSecret: string;
  /** The `tenant` a hosted instance's token requests may name; null for an instance on its own host. */
  tenant: string | null;
  tokenLifetimeSeconds: number;
  /** Issued access tokens and when they expire (ms since the epoch). */
  tokens: Map<string, number>;
  clients: Map<number, HaloClient>;
  agents: Map<number, HaloAgent>;
  statuses: Map<number, HaloStatus>;
  tickets: Map<number, HaloTicket>;
  actions: HaloAction[];
  rateLimit: RateLimit;
}

/** Halo's built-in Closed status: a fixed id every instance has; the only status the emulator treats as closed. */
export const haloClosedStatusId = 9;

/** The statuses of an instance seeded without its own list. */
export const defaultHaloStatuses: HaloStatus[] = [
  { id: 1, name: "New" },
  { id: 2, name: "In Progress" },
  { id: 3, name: "Action Required" },
  { id: 4, name: "On Hold" },
  { id: 5, name: "Waiting on Client" },
  { id: 8, name: "Resolved" },
  { id: haloClosedStatusId, name: "Closed" },
];
