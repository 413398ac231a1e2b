/** Sign-in paths that name no tenant: Microsoft then takes the tenant from the account typed. */
const MULTI_TENANT = new Set(["common", "organizations"]);

/**
 * Whether a Microsoft sign-in page is the sign-in of the grant's tenant: its path names the tenant by id
 * or by the account's domain, or names none (the account then decides, and only the grant's account is
 * typed). A page for another tenant, or for personal Microsoft accounts, gets nothing.
 */
export function isGrantsTenantSignIn(url: string | undefined, grant: { tenantId: string; upn: string }): boolean {
  let first: string;
  try {
    first = decodeURIComponent(new URL(url ?? "").pathname.split("/")[1] ?? "").toLowerCase();
  } catch {
    return false;
  }
  if (first === "" || MULTI_TENANT.has(first)) return true;
  return first === grant.tenantId.toLowerCase() || first === grant.upn.split("@")[1]?.toLowerCase();
}
