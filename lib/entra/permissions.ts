/**
 * Application permissions (Graph app roles) Stint's app registration requests and needs in every
 * customer tenant: create and manage JIT users and their passwords, remove them for good, assign
 * directory roles, and read the tenant's name and verified domains.
 */
export const requiredGraphPermissions = [
  "User.ReadWrite.All",
  "User.DeleteRestore.All",
  "RoleManagement.ReadWrite.Directory",
  "Domain.Read.All",
  "Organization.Read.All",
] as const;

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
