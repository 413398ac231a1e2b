import type { GrantState } from "@/lib/vocabulary/grant-states";

/** The moves a grant may make between its states (the states themselves: lib/vocabulary/grant-states.ts). */
const transitions: Record<GrantState, readonly GrantState[]> = {
  pending_approval: ["approved"],
  approved: ["provisioning", "revoked"],
  provisioning: ["active", "failed", "expiring"],
  active: ["expiring"],
  // A failed provisioning's account is taken away by expiry too, and then the grant has failed.
  expiring: ["ended", "revoked", "failed", "irrevocable"],
  irrevocable: ["ended", "revoked", "failed", "expiring"],
  ended: [],
  failed: [],
  revoked: [],
};

export function canTransition(from: GrantState, to: GrantState): boolean {
  return transitions[from].includes(to);
}

/** States in which an Entra account may exist and must still be taken away. */
export const liveStates: readonly GrantState[] = ["approved", "provisioning", "active", "expiring", "irrevocable"];
export const finalStates: readonly GrantState[] = ["ended", "failed", "revoked"];
