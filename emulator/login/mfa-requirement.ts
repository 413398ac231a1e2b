import { isAdminPortalClient } from "../catalog/admin-portals";
import { holdsDirectoryRole } from "../graph/user-store";
import type { Tenant } from "../state";

/**
 * Whether a password alone may not finish this sign-in: Microsoft's mandatory MFA on its admin portals, for every
 * user; and, where the tenant asks for it (security defaults or Conditional Access), for anyone holding a directory
 * role, whatever the app.
 */
export function requiresMfa(tenant: Tenant, userId: string, clientId: string | null): boolean {
  return isAdminPortalClient(clientId) || (tenant.settings.requireMfaForAdmins && holdsDirectoryRole(tenant, userId));
}
