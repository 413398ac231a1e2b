import type { MemberRole } from "@/lib/auth/roles";

/** Entitlements a grant rests on; losing one ends the grant at once (lib/services/grants/end-unentitled.ts). */
export const entitlementLosses = [
  "member_disabled",
  "role_changed",
  "delegation_removed",
  "access_level_archived",
  "access_level_disabled",
  "customer_archived",
  "tenant_disconnected",
] as const;
export type EntitlementLoss = (typeof entitlementLosses)[number];

/**
 * Why a grant ended. `duration_exceeded`: at its start, the grant was longer than today's maximum allows.
 * `provisioning_failed`: its account could not be made, and what was made is taken away; it ends failed.
 */
export const grantEndReasons = ["expired", "ended_by_technician", "revoked", "kill_switch", ...entitlementLosses, "duration_exceeded", "provisioning_failed"] as const;
export type GrantEndReason = (typeof grantEndReasons)[number];

/** A grant that runs out, or that its own technician ends, has ended; every other end takes access away: revoked. */
export function endsAsRevoked(reason: GrantEndReason | null): boolean {
  return reason !== null && reason !== "expired" && reason !== "ended_by_technician";
}

/** Auditors read; they never hold access to a customer's tenant. */
export function mayHoldAccess(role: MemberRole): boolean {
  return role !== "auditor";
}
