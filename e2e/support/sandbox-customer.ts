import { eq } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { builtInRoles } from "@/lib/entra/role-catalog";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import { newId } from "@/lib/ids";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { contextFor, type TestMsp } from "@/test/factories";
import { enabledTapPolicy } from "@/test/tap-policy";
import { consentedSandboxTenant } from "./emulator";

/**
 * A customer on a fresh emulated tenant (the sandbox app consented), with an access level enabled and delegated
 * to the technician. With passes, the tenant's policy allows them for everyone; without, they are disabled
 * (Microsoft's default) and the customer signs in with a password. Returns the tenant's id.
 */
export async function jitReadySandboxCustomer(msp: TestMsp, technicianId: string, levelId: string, name: string, signInMethod: "tap" | "password"): Promise<string> {
  const tapPolicy = signInMethod === "tap" ? { ...enabledTapPolicy } : { ...enabledTapPolicy, state: "disabled" as const };
  const tenant = await consentedSandboxTenant(name.split(" ")[0]!.toLowerCase(), { tapPolicy: { state: tapPolicy.state } });
  const domain = tenant.domains[0]!.id;
  const owner = contextFor(msp.owner);
  const customer = await createCustomer(owner, { name }, { isSandbox: true });
  await systemTxBypassingRls(async (tx) => {
    await tx.insert(entraConnections).values({
      id: newId("connection"), mspId: msp.mspId, customerId: customer.id, cloud: "sandbox", status: "connected", tenantId: tenant.id,
      tenantName: tenant.displayName, verifiedDomains: [domain], defaultDomain: domain,
      roleDefinitions: builtInRoles.map((r) => ({ templateId: r.templateId, displayName: r.displayName, isBuiltIn: true })),
      grantedPermissions: [...requiredGraphPermissions],
      tapPolicy,
      tapPolicyReadAt: new Date(),
    });
    await tx.update(customers).set({ upnDomain: domain, signInMethod }).where(eq(customers.id, customer.id));
  });
  await setAccessLevelForCustomer(owner, customer.id, levelId, { enabled: true });
  await createDelegation(owner, { memberId: technicianId, customerId: customer.id, accessLevelIds: [levelId], maxDurationMinutes: 120 });
  return tenant.id;
}
