/**
 * The states of a grant: approved → provisioning → active → expiring → ended, with the side exits failed,
 * revoked and irrevocable. An allowed request is stored as approved; a refused one is answered and
 * audited, never stored. pending_approval is for requests that will need someone's approval: nothing
 * enters it yet. Which moves are allowed is lib/grants/states.ts.
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
] as const;
export type GrantState = (typeof grantStates)[number];
