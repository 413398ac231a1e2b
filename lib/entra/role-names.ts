import { builtInRole } from "./role-catalog";

type KnownRole = { templateId: string; displayName: string };

/**
 * Role display names: Entra's built-in roles, then the roles given (the MSP's role catalog, or for
 * members who cannot read it, the custom roles this customer's tenant reported).
 */
export function roleNamer(knownRoles: KnownRole[]): (templateId: string) => string {
  const custom = new Map(knownRoles.map((r) => [r.templateId, r.displayName]));
  return (templateId) => builtInRole(templateId)?.displayName ?? custom.get(templateId) ?? templateId;
}
