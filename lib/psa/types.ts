import type { PsaKind } from "@/lib/vocabulary/psa-kinds";

export { psaKinds, type PsaKind } from "@/lib/vocabulary/psa-kinds";

/** A company (ConnectWise) or client (HaloPSA): what a Stint customer is mapped to. */
export interface PsaCompany {
  id: string;
  name: string;
}

/** A ticket as the access checks need it, whatever the PSA calls its fields. */
export interface PsaTicket {
  id: string;
  summary: string;
  /** The PSA's own status name, shown in refusals ("Closed", "Resolved", …). */
  status: string;
  closed: boolean;
  company: PsaCompany;
  /** The assigned agent's / member's e-mail, when the ticket has one. */
  assigneeEmail: string | null;
}

export interface PsaTimeEntry {
  ticketId: string;
  start: Date;
  minutes: number;
  notes: string;
  /** The agent/member the time is booked for, by e-mail; the PSA's integration user when absent or unknown. */
  technicianEmail?: string;
}

/**
 * What Stint does in a PSA. Every method authenticates as the PSA requires (tokens cached and renewed)
 * and throws {@link PsaError} with a code a person can act on.
 */
export interface PsaClient {
  readonly kind: PsaKind;
  /** Authenticates and reads one page of companies: proves the settings work. */
  check(): Promise<void>;
  listCompanies(): Promise<PsaCompany[]>;
  /** null when the PSA has no ticket with this id. */
  getTicket(ticketId: string): Promise<PsaTicket | null>;
  /** An internal (not customer-visible) note on the ticket. */
  addNote(ticketId: string, text: string): Promise<void>;
  addTimeEntry(entry: PsaTimeEntry): Promise<void>;
}

export type PsaErrorCode = "unauthorized" | "forbidden" | "not_found" | "rate_limited" | "unavailable" | "invalid_response" | "rejected";

export class PsaError extends Error {
  constructor(
    message: string,
    readonly code: PsaErrorCode,
    readonly status?: number,
    /** Seconds the PSA asked to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "PsaError";
  }
}
