/**
 * Microsoft's admin portals, by the client id they sign in with. Microsoft enforces MFA on them for every user
 * (learn: entra/identity/authentication/concept-mandatory-multifactor-authentication).
 */
export const adminPortalClientIds = {
  /** Azure portal, Microsoft Entra admin center and Intune admin center. */
  azurePortal: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
  microsoft365AdminCenter: "00000006-0000-0ff1-ce00-000000000000",
} as const;

const all = new Set<string>(Object.values(adminPortalClientIds));

export function isAdminPortalClient(clientId: string | null): boolean {
  return clientId !== null && all.has(clientId.toLowerCase());
}
