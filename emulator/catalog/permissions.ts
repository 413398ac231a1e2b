/** Microsoft Graph application permissions (app roles) the emulator knows, with their consent-page text. */
export const applicationPermissions = {
  "User.Read.All": "Read all users' full profiles",
  "User.ReadWrite.All": "Read and write all users' full profiles",
  "User.EnableDisableAccount.All": "Enable and disable user accounts",
  "User-PasswordProfile.ReadWrite.All": "Read and write all password profiles and reset user passwords",
  "User.RevokeSessions.All": "Revoke all sign in sessions for a user",
  "User.DeleteRestore.All": "Delete and restore all users",
  "Directory.Read.All": "Read directory data",
  "Directory.ReadWrite.All": "Read and write directory data",
  "Domain.Read.All": "Read domains",
  "Organization.Read.All": "Read organization information",
  "RoleManagement.Read.Directory": "Read all directory RBAC settings",
  "RoleManagement.Read.All": "Read role management data for all RBAC providers",
  "RoleManagement.ReadWrite.Directory": "Read and write all directory RBAC settings",
  "UserAuthMethod-TAP.Read.All": "Read all users' Temporary Access Pass authentication methods",
  "UserAuthMethod-TAP.ReadWrite.All": "Read and write all users' Temporary Access Pass authentication methods",
  "UserAuthenticationMethod.Read.All": "Read all users' authentication methods",
  "UserAuthenticationMethod.ReadWrite.All": "Read and write all users' authentication methods",
  "Policy.Read.AuthenticationMethod": "Read all authentication method policies",
  "Policy.ReadWrite.AuthenticationMethod": "Read and write all authentication method policies",
} as const;

export type ApplicationPermission = keyof typeof applicationPermissions;

export function isApplicationPermission(name: string): name is ApplicationPermission {
  return Object.hasOwn(applicationPermissions, name);
}

/**
 * Which application permissions satisfy each operation; any one of a list is enough.
 * Least privileged first, as each Graph method's Permissions table lists them. Where the docs disagree the stricter
 * reading wins, so code that works here does not fail against the real service.
 */
export const operationPermissions = {
  readUsers: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  createUser: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
  updateUser: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
  enableDisableUser: ["User.EnableDisableAccount.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  setPassword: ["User-PasswordProfile.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  revokeSessions: ["User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  deleteUser: ["User.DeleteRestore.All", "User.ReadWrite.All"],
  // Permanent deletion and restore of users need User.DeleteRestore.All (older docs: not supported app-only).
  deleteRestoreDeletedUser: ["User.DeleteRestore.All"],
  readDeletedItems: ["User.Read.All", "User.ReadWrite.All", "User.DeleteRestore.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  readOrganization: ["Organization.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  readDomains: ["Domain.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  readRoles: [
    "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All", "Directory.ReadWrite.All",
  ],
  writeRoleAssignments: ["RoleManagement.ReadWrite.Directory"],
  // learn: authentication-post-temporaryaccesspassmethods, temporaryaccesspassauthenticationmethod-get/-delete.
  readTemporaryAccessPasses: [
    "UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.ReadWrite.All",
    "UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All",
  ],
  writeTemporaryAccessPasses: ["UserAuthMethod-TAP.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"],
  // learn: temporaryaccesspassauthenticationmethodconfiguration-get.
  readAuthenticationMethodPolicy: ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"],
} as const satisfies Record<string, readonly ApplicationPermission[]>;

export type Operation = keyof typeof operationPermissions;
