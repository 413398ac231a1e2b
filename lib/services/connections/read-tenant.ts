import type { RoleDefinitionSummary } from "@/db/schema/entra-connections";
import type { CloudConfig } from "@/lib/entra/clouds";
import { EntraError, MissingPermissionsError } from "@/lib/entra/errors";
import { graphFor } from "@/lib/entra/graph";
import { acquireAppToken } from "@/lib/entra/msal";
import { requiredGraphPermissions } from "@/lib/entra/permissions";

export type TenantFacts = {
  tenantId: string;
  tenantName: string;
  verifiedDomains: string[];
  defaultDomain: string | null;
  roleDefinitions: RoleDefinitionSummary[];
  grantedPermissions: string[];
};

/**
 * Proves Stint can act in a tenant and reads what it needs: a fresh app-only token for the tenant (its
 * `tid` must be the tenant asked for), the organization (its id must match too), the verified domains,
 * the directory role catalog. A consent without every required permission is refused first.
 */
export async function readTenant(cloud: CloudConfig, tenantId: string): Promise<TenantFacts> {
  const token = await acquireAppToken(cloud, tenantId, { skipCache: true });
  if (token.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    throw new EntraError(`The token was issued for tenant ${token.tenantId || "(none)"}, not ${tenantId}.`, "tenant_mismatch");
  }
  // Checked before reading Graph, whose 403 would otherwise hide which permission is missing.
  const missing = requiredGraphPermissions.filter((p) => !token.roles.includes(p));
  if (missing.length) throw new MissingPermissionsError(missing, [...token.roles].sort());
  const graph = graphFor(cloud, tenantId);
  const organization = await graph.getOrganization();
  if (organization.id.toLowerCase() !== tenantId.toLowerCase()) {
    throw new EntraError(`Graph answered for tenant ${organization.id}, not ${tenantId}.`, "tenant_mismatch");
  }
  const [domains, roles] = await Promise.all([graph.listDomains(), graph.listRoleDefinitions()]);
  const verified = domains.filter((d) => d.isVerified);
  return {
    tenantId: organization.id,
    tenantName: organization.displayName,
    verifiedDomains: verified.map((d) => d.id.toLowerCase()).sort(),
    defaultDomain: verified.find((d) => d.isDefault)?.id.toLowerCase() ?? null,
    roleDefinitions: roles
      .filter((r) => r.isEnabled !== false)
      .map((r) => ({ templateId: r.templateId, displayName: r.displayName, isBuiltIn: r.isBuiltIn })),
    grantedPermissions: [...token.roles].sort(),
  };
}
