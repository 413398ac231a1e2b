import type { RateLimit } from "../store";

export interface CwCompany {
  id: number;
  identifier: string;
  name: string;
}

export interface CwMember {
  id: number;
  identifier: string;
  firstName: string;
  lastName: string;
  primaryEmail: string;
  officeEmail: string | null;
}

/** A service board status; `closed` is the board's "Closed status" setting, which sets a ticket's `closedFlag`. */
export interface CwStatus {
  id: number;
  name: string;
  closed: boolean;
}

export interface CwTicket {
  id: number;
  summary: string;
  companyId: number;
  statusId: number;
  /** Member identifier of the owner; null when nobody owns the ticket. */
  owner: string | null;
  dateEntered: string;
}

/** A ticket note as written through `POST /service/tickets/{id}/notes`. */
export interface CwNote {
  id: number;
  ticketId: number;
  text: string;
  detailDescriptionFlag: boolean;
  internalAnalysisFlag: boolean;
  resolutionFlag: boolean;
  /** Member identifier of the author: the one named in the body, else the API member. */
  member: string;
  dateCreated: string;
}

/** A time entry as written through `POST /time/entries`. */
export interface CwTimeEntry {
  id: number;
  chargeToId: number;
  chargeToType: "ServiceTicket";
  member: string;
  timeStart: string;
  timeEnd: string;
  actualHours: number;
  notes: string;
  dateEntered: string;
}

export interface ConnectWiseInstance {
  name: string;
  /** The company id typed at sign-in, first part of the Basic credential (`{companyId}+{publicKey}:{privateKey}`). */
  companyId: string;
  publicKey: string;
  privateKey: string;
  /** Identifier of the API member the keys belong to: the author of notes and time that name no member. */
  apiMember: string;
  companies: Map<number, CwCompany>;
  members: Map<number, CwMember>;
  statuses: Map<number, CwStatus>;
  tickets: Map<number, CwTicket>;
  notes: CwNote[];
  timeEntries: CwTimeEntry[];
  rateLimit: RateLimit;
}

/** The board statuses of an instance seeded without its own list. */
export const defaultCwStatuses: CwStatus[] = [
  { id: 1, name: "New", closed: false },
  { id: 2, name: "In Progress", closed: false },
  { id: 3, name: "Waiting Customer", closed: false },
  { id: 4, name: "Completed", closed: true },
  { id: 5, name: "Closed", closed: true },
];

export function findMemberByIdentifier(instance: ConnectWiseInstance, identifier: string): CwMember | undefined {
  return [...instance.members.values()].find((m) => m.identifier.toLowerCase() === identifier.toLowerCase());
}
