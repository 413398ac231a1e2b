/**
 * What an access token may be used for. A token's effective rights are its scopes intersected with
 * what its owner may do *now* (role permissions, delegations): a token never grants more than its owner has.
 * Which scope each permission needs is lib/auth/token-scopes.ts.
 */
export const tokenScopes = ["grants:read", "grants:write", "credentials:read", "customers:read", "audit:read", "tokens:manage", "approvals:write", "members:read"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const tokenScopeInfo: Record<TokenScope, { label: string; description: string }> = {
  "grants:read": { label: "Read grants", description: "List and read grants (your own, or all if your role sees all)." },
  "grants:write": { label: "Request and end grants", description: "Request, extend and end access; revoke if your role may." },
  "credentials:read": { label: "Read credentials", description: "Read JIT account credentials where your role allows it without a passkey." },
  "customers:read": { label: "Read customers", description: "List the customers you can see, their access levels and delegations." },
  "audit:read": { label: "Read the audit log", description: "Read and export audit events, if your role may." },
  "tokens:manage": { label: "Manage tokens", description: "List and revoke your tokens (and, for admins, every token). Never create them." },
  "members:read": { label: "Read members", description: "List the MSP's members: name, e-mail address, role and status. Only if your role may." },
  "approvals:write": { label: "Answer approvals", description: "List the requests waiting for your approval and deny them (approving needs your passkey in the console). Only if you may approve." },
};
