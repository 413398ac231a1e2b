/**
 * The grant state machine (design.md): requested → (pending_approval →) approved → provisioning →
 * active → expiring → ended, with the side exits denied, failed, revoked and irrevocable.
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

const transitions: Record<GrantState, readonly GrantState[]> = {
  requested: ["pending_approval", "approved", "denied"],
  pending_approval: ["approved", "denied"],
  approved: ["provisioning", "revoked"],
  provisioning: ["active", "failed", "expiring"],
  active: ["expiring"],
  // A failed provisioning's account is taken away by expiry too, and then the grant has failed.
  expiring: ["ended", "revoked", "failed", "irrevocable"],
  irrevocable: ["ended", "revoked", "failed", "expiring"],
  ended: [],
  denied: [],
  failed: [],
  revoked: [],
};

export function canTransition(from: GrantState, to: GrantState): boolean {
  return transitions[from].includes(to);
}

/** States in which an Entra account may exist and must still be taken away. */
export const liveStates: readonly GrantState[] = ["approved", "provisioning", "active", "expiring", "irrevocable"];
export const finalStates: readonly GrantState[] = ["ended", "denied", "failed", "revoked"];
