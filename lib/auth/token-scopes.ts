import type { Permission } from "@/lib/auth/permissions";

/**
 * What an access token may be used for. A token's effective rights are its scopes intersected with
 * what its owner may do *now* (role permissions, delegations): a token never grants more than its owner has.
 */
export const tokenScopes = ["grants:read", "grants:write", "credentials:read", "customers:read", "audit:read", "tokens:manage"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const tokenScopeInfo: Record<TokenScope, { label: string; description: string }> = {
  "grants:read": { label: "Read grants", description: "List and read grants (your own, or all if your role sees all)." },
  "grants:write": { label: "Request and end grants", description: "Request, extend and end access; revoke if your role may." },
  "credentials:read": { label: "Read credentials", description: "Read JIT account credentials where your role allows it without a passkey." },
  "customers:read": { label: "Read customers", description: "List the customers you can see, their access levels and delegations." },
  "audit:read": { label: "Read the audit log", description: "Read and export audit events, if your role may." },
  "tokens:manage": { label: "Manage tokens", description: "List and revoke your tokens (and, for admins, every token). Never create them." },
};

/**
 * The scope a token needs to exercise each Stint permission; null = never through a token (member,
 * MSP and configuration changes stay in the console, behind a passkey).
 */
export const scopeForPermission: Record<Permission, TokenScope | null> = {
  "members:read": null,
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
};

/** Whether a token with these scopes may exercise the permission (the owner's role is checked separately). */
export function scopesAllow(scopes: readonly TokenScope[], permission: Permission): boolean {
  const needed = scopeForPermission[permission];
  return needed !== null && scopes.includes(needed);
}
