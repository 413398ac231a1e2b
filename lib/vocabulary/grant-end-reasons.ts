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
 * `ticket_closed`: its PSA ticket was closed, and its policy ends access with the ticket.
 */
export const grantEndReasons = ["expired", "ended_by_technician", "revoked", "kill_switch", ...entitlementLosses, "duration_exceeded", "provisioning_failed", "ticket_closed"] as const;
export type GrantEndReason = (typeof grantEndReasons)[number];
