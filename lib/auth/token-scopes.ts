import type { Permission } from "@/lib/auth/permissions";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";

/**
 * The scope a token needs to exercise each Stint permission; null = never through a token (member,
 * MSP and configuration changes stay in the console, behind a passkey).
 */
export const scopeForPermission: Record<Permission, TokenScope | null> = {
  "members:read": "members:read",
  "members:invite": null,
  "members:manage": null,
  "audit:read": "audit:read",
  "msp:manage": null,
  "customers:read_all": "customers:read",
  "customers:manage": null,
  "access_levels:manage": null,
  "delegations:manage": null,
  "grants:read_all": "grants:read",
  "grants:revoke": "grants:write",
  "grants:kill_switch": null,
  "tokens:manage_all": "tokens:manage",
  "approvals:decide": "approvals:write",
  "access_policies:manage": null,
  "notifications:manage": null,
};

/** Whether a token with these scopes may exercise the permission (the owner's role is checked separately). */
export function scopesAllow(scopes: readonly TokenScope[], permission: Permission): boolean {
  const needed = scopeForPermission[permission];
  return needed !== null && scopes.includes(needed);
}
