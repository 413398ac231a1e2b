import type { GrantState } from "@/lib/vocabulary/grant-states";

/** The moves a grant may make between its states (the states themselves: lib/vocabulary/grant-states.ts). */
const transitions: Record<GrantState, readonly GrantState[]> = {
  pending_approval: ["approved", "denied", "expired", "cancelled"],
  // denied: a hook asked before the account is made said no.
  approved: ["provisioning", "revoked", "denied"],
  provisioning: ["active", "failed", "expiring"],
  active: ["expiring"],
  // A failed provisioning's account is taken away by expiry too, and then the grant has failed.
  expiring: ["ended", "revoked", "failed", "irrevocable"],
  irrevocable: ["ended", "revoked", "failed", "expiring"],
  ended: [],
  failed: [],
  revoked: [],
  denied: [],
  expired: [],
  cancelled: [],
};

export function canTransition(from: GrantState, to: GrantState): boolean {
  return transitions[from].includes(to);
}

/** States in which an Entra account may exist and must still be taken away. */
export const liveStates: readonly GrantState[] = ["approved", "provisioning", "active", "expiring", "irrevocable"];
export const finalStates: readonly GrantState[] = ["ended", "failed", "revoked", "denied", "expired", "cancelled"];
/** Live grants and requests still waiting for approval: what a technician has open on a customer. */
export const openStates: readonly GrantState[] = ["pending_approval", ...liveStates];
