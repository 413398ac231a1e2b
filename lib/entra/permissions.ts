/**
 * Application permissions (Graph app roles) Stint's app registration requests in every customer tenant.
 * The core set creates and manages JIT users and their passwords, removes them for good, assigns
 * directory roles, and reads the tenant's name and verified domains: without any of it a connection is
 * refused.
 */
export const coreGraphPermissions = [
  "User.ReadWrite.All",
  "User.DeleteRestore.All",
  "RoleManagement.ReadWrite.Directory",
  "Domain.Read.All",
  "Organization.Read.All",
] as const;

/**
 * For the Temporary Access Pass sign-in method: create and remove the JIT accounts' passes, and read the
 * tenant's pass policy. A tenant consented before Stint asked for these keeps working with passwords
 * until an admin consents again.
 */
export const tapGraphPermissions = ["UserAuthMethod-TAP.ReadWrite.All", "Policy.Read.AuthenticationMethod"] as const;

export const requiredGraphPermissions = [...coreGraphPermissions, ...tapGraphPermissions] as const;

/** Either the pass-only permission or the broader one covering every authentication method. */
const tapWrite = ["UserAuthMethod-TAP.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"];
const tapPolicyRead = ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"];

/** Whether a consent lets Stint issue passes and read the pass policy. */
export function grantsTapPermissions(granted: readonly string[]): boolean {
  return tapWrite.some((p) => granted.includes(p)) && tapPolicyRead.some((p) => granted.includes(p));
}

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
