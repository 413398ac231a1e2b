/**
 * The states of a grant: (pending_approval →) approved → provisioning → active → expiring → ended, with the
 * side exits failed, revoked and irrevocable, and for a request waiting for approval denied, expired (nobody
 * answered in time) and cancelled (by its requester). A refused request is answered and audited, never
 * stored. Which moves are allowed is lib/grants/states.ts.
 */
export const grantStates = [
  "pending_approval",
  "approved",
  "provisioning",
  "active",
  "expiring",
  "ended",
  "failed",
  "revoked",
  "irrevocable",
  "denied",
  "expired",
  "cancelled",
] as const;
export type GrantState = (typeof grantStates)[number];
