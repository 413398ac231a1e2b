/**
 * The states of a grant: requested → (pending_approval →) approved → provisioning → active → expiring →
 * ended, with the side exits denied, failed, revoked and irrevocable. Which moves are allowed is
 * lib/grants/states.ts.
 */
export const grantStates = [
  "requested",
  "pending_approval",
  "approved",
  "provisioning",
  "active",
  "expiring",
  "ended",
  "denied",
  "failed",
  "revoked",
  "irrevocable",
] as const;
export type GrantState = (typeof grantStates)[number];
