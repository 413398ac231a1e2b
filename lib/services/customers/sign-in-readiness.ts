import type { Customer, EntraConnection } from "@/db/schema";
import { supportsTap } from "@/lib/entra/clouds";
import { grantsTapPermissions } from "@/lib/entra/permissions";
import { tapReadiness, type TapReadiness } from "@/lib/entra/tap-readiness";

/**
 * How this customer's new grants will sign in, from the admin's choice and what the connected tenant
 * allows (cloud, consent, pass policy as last read). Null while the customer is not connected.
 */
export function signInReadiness(
  customer: Pick<Customer, "signInMethod" | "isSandbox" | "maxDurationMinutes">,
  connection: Pick<EntraConnection, "status" | "grantedPermissions" | "tapPolicy"> | null,
): TapReadiness | null {
  if (!connection || connection.status !== "connected") return null;
  return tapReadiness({
    chosen: customer.signInMethod,
    cloudSupportsTap: supportsTap(customer.isSandbox ? "sandbox" : "microsoft"),
    tapPermissionsGranted: grantsTapPermissions(connection.grantedPermissions),
    policy: connection.tapPolicy,
    maxGrantMinutes: customer.maxDurationMinutes,
  });
}
