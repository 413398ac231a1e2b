import type { RoleDefinitionSummary } from "@/db/schema/entra-connections";
import { supportsTap, type CloudConfig } from "@/lib/entra/clouds";
import { EntraError, MissingPermissionsError } from "@/lib/entra/errors";
import { graphFor, type Graph } from "@/lib/entra/graph";
import { acquireAppToken } from "@/lib/entra/msal";
import { coreGraphPermissions, grantsTapPermissions } from "@/lib/entra/permissions";
import { readTapPolicy } from "@/lib/entra/read-tap-policy";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

export type TenantFacts = {
  tenantId: string;
  tenantName: string;
  verifiedDomains: string[];
  defaultDomain: string | null;
  roleDefinitions: RoleDefinitionSummary[];
  grantedPermissions: string[];
  /** Null where Stint may not read it (older consent, a cloud without passes) or the read failed. */
  tapPolicy: TapPolicy | null;
};

/** A policy Stint cannot read is reported as unknown rather than failing the whole connection. */
function tapPolicyOf(graph: Graph): Promise<TapPolicy | null> {
  return readTapPolicy(graph).catch((err) => {
    if (err instanceof EntraError) return null;
    throw err;
  });
}

/**
 * Proves Stint can act in a tenant and reads what it needs: a fresh app-only token for the tenant (its
 * `tid` must be the tenant asked for), the organization (its id must match too), the verified domains,
 * the directory role catalog, and the Temporary Access Pass policy where the consent allows. A consent
 * without every core permission is refused first.
 */
export async function readTenant(cloud: CloudConfig, tenantId: string): Promise<TenantFacts> {
  const token = await acquireAppToken(cloud, tenantId, { skipCache: true });
  if (token.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    throw new EntraError(`The token was issued for tenant ${token.tenantId || "(none)"}, not ${tenantId}.`, "tenant_mismatch");
  }
  // Checked before reading Graph, whose 403 would otherwise hide which permission is missing.
  const missing = coreGraphPermissions.filter((p) => !token.roles.includes(p));
  if (missing.length) throw new MissingPermissionsError(missing, [...token.roles].sort());
  const graph = graphFor(cloud, tenantId);
  const organization = await graph.getOrganization();
  if (organization.id.toLowerCase() !== tenantId.toLowerCase()) {
    throw new EntraError(`Graph answered for tenant ${organization.id}, not ${tenantId}.`, "tenant_mismatch");
  }
  const mayReadTapPolicy = supportsTap(cloud.cloud) && grantsTapPermissions(token.roles);
  const [domains, roles, tapPolicy] = await Promise.all([graph.listDomains(), graph.listRoleDefinitions(), mayReadTapPolicy ? tapPolicyOf(graph) : null]);
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
    tapPolicy,
  };
}

/** The connection columns a reading of the tenant refreshes (at connect and at every health check). */
export function tenantFactColumns(facts: TenantFacts) {
  return {
    verifiedDomains: facts.verifiedDomains,
    defaultDomain: facts.defaultDomain,
    roleDefinitions: facts.roleDefinitions,
    grantedPermissions: facts.grantedPermissions,
    tapPolicy: facts.tapPolicy,
    tapPolicyReadAt: facts.tapPolicy ? new Date() : null,
  };
}
