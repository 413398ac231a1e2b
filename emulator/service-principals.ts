import { randomUUID } from "node:crypto";
import type { ApplicationPermission } from "./catalog/permissions";
import { nowIso, type AppRegistration, type ServicePrincipal, type Tenant } from "./state";

export interface ConsentOptions {
  /** Defaults to every permission the app requires now: admin consent grants the app's static permissions. */
  roles?: ApplicationPermission[];
  directoryRoles?: string[];
}

/** Admin consent creates (or refreshes) the app's service principal in the tenant. */
export function grantConsent(tenant: Tenant, app: AppRegistration, options: ConsentOptions = {}): ServicePrincipal {
  const existing = tenant.servicePrincipals.get(app.clientId);
  const servicePrincipal: ServicePrincipal = {
    id: existing?.id ?? randomUUID(),
    appId: app.clientId,
    roles: [...(options.roles ?? app.requiredPermissions)],
    directoryRoles: (options.directoryRoles ?? existing?.directoryRoles ?? []).map((r) => r.toLowerCase()),
    // Consenting again does not enable an enterprise app an administrator disabled.
    accountEnabled: existing?.accountEnabled ?? true,
    consentedDateTime: nowIso(),
  };
  tenant.servicePrincipals.set(app.clientId, servicePrincipal);
  return servicePrincipal;
}

/** Removing the enterprise app from the tenant: token requests fail with AADSTS7000229 again. */
export function revokeConsent(tenant: Tenant, app: AppRegistration): void {
  tenant.servicePrincipals.delete(app.clientId);
}
