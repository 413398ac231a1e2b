import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { entraConnections } from "@/db/schema";
import { builtInRoles } from "@/lib/entra/role-catalog";
import { AppError } from "@/lib/errors";

export type CatalogRole = { templateId: string; displayName: string; isPrivileged: boolean; isBuiltIn: boolean };

/**
 * The roles an access level may bundle: Entra's built-in roles, plus custom roles read from the
 * roleDefinitions of the MSP's connected tenants.
 */
export async function roleCatalog(tx: Tx, mspId: string): Promise<CatalogRole[]> {
  const catalog = new Map<string, CatalogRole>(builtInRoles.map((r) => [r.templateId, { ...r, isBuiltIn: true }]));
  const connections = await tx
    .select({ roles: entraConnections.roleDefinitions })
    .from(entraConnections)
    .where(and(eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected")));
  for (const { roles } of connections) {
    for (const r of roles) if (!catalog.has(r.templateId)) catalog.set(r.templateId, { templateId: r.templateId, displayName: r.displayName, isPrivileged: false, isBuiltIn: r.isBuiltIn });
  }
  return [...catalog.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function assertKnownRoles(tx: Tx, mspId: string, roleTemplateIds: string[]): Promise<void> {
  const known = new Set((await roleCatalog(tx, mspId)).map((r) => r.templateId));
  const unknown = roleTemplateIds.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new AppError("validation_failed", `roleTemplateIds: unknown Entra role ${unknown.join(", ")}.`, { field: "roleTemplateIds" });
  }
}
