import { eq } from "drizzle-orm";
import { customers, entraConnections, grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { builtInRoles } from "@/lib/entra/role-catalog";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import { newId, randomBase62 } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { passwordContext } from "@/lib/services/grants/credential";
import { consentedTenant } from "./entra";
import { enabledTapPolicy } from "./tap-policy";
import { contextFor, inviteMember, type TestMember, type TestMsp } from "./factories";

export const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

type JitReadyOptions = {
  roles?: string[];
  expiryActions?: string[];
  maxDurationMinutes?: number;
  /** Password unless asked: the pass path has suites of its own. */
  signInMethod?: SignInMethod;
  /** The tenant's pass policy (merged over an enabled one) when signing in with passes. */
  tapPolicy?: Partial<TapPolicy>;
};

/**
 * A customer connected to a fresh emulated tenant (Stint's test app consented), with an access level
 * enabled and delegated to a new technician: everything a grant request needs. The connection row is
 * written directly; the consent flow itself is tested in lib/services/connections.
 */
export async function jitReadyCustomer(msp: TestMsp, options: JitReadyOptions = {}) {
  const signInMethod = options.signInMethod ?? "password";
  const tapPolicy = { ...enabledTapPolicy, ...options.tapPolicy };
  const tenant = await consentedTenant("JIT", {
    tapPolicy: {
      ...tapPolicy,
      includeTargets: tapPolicy.includeTargets.map((id) => ({ id, targetType: "group" })),
      excludeTargets: tapPolicy.excludeTargets.map((id) => ({ id, targetType: "group" })),
    },
  });
  const domain = tenant.domains[0]!.id;
  const owner = contextFor(msp.owner);
  const customer = await createCustomer(owner, { name: `JIT customer ${randomBase62(6)}` });
  await systemTxBypassingRls(async (tx) => {
    await tx.insert(entraConnections).values({
      id: newId("connection"),
      mspId: msp.mspId,
      customerId: customer.id,
      cloud: "microsoft",
      status: "connected",
      tenantId: tenant.id,
      tenantName: tenant.displayName,
      verifiedDomains: [domain],
      defaultDomain: domain,
      roleDefinitions: builtInRoles.map((r) => ({ templateId: r.templateId, displayName: r.displayName, isBuiltIn: true })),
      grantedPermissions: [...requiredGraphPermissions],
      tapPolicy,
      tapPolicyReadAt: new Date(),
    });
    await tx
      .update(customers)
      .set({
        upnDomain: domain,
        maxDurationMinutes: options.maxDurationMinutes ?? 480,
        signInMethod,
        ...(options.expiryActions ? { expiryActions: options.expiryActions as never } : {}),
      })
      .where(eq(customers.id, customer.id));
  });
  const level = await createAccessLevel(owner, { name: `Helpdesk ${randomBase62(6)}`, roleTemplateIds: options.roles ?? [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR] });
  await setAccessLevelForCustomer(owner, customer.id, level.id, { enabled: true });
  const technician: TestMember = await inviteMember(msp.owner, "technician");
  await createDelegation(owner, { memberId: technician.id, customerId: customer.id, accessLevelIds: [level.id], maxDurationMinutes: options.maxDurationMinutes ?? 480 });
  return { tenant, domain, customer, level, technician };
}

/**
 * An active grant with a sealed password, inserted directly (no provisioning): for tests of what reads
 * the credential (reveal, launch tickets) rather than of how it was made.
 */
export async function insertActiveGrant(args: { mspId: string; customerId: string; memberId: string; tenantId: string; domain: string; password: string }) {
  const id = newId("grant");
  const upn = `launch-${id.slice(-6).toLowerCase()}@${args.domain}`;
  await systemTxBypassingRls((tx) =>
    tx.insert(grants).values({
      id, mspId: args.mspId, customerId: args.customerId, memberId: args.memberId, state: "active", accessLevelIds: [], roleTemplateIds: [],
      expiryActions: ["remove_roles", "disable"], durationMinutes: 60, justification: "test grant", startAt: new Date(),
      upn, displayName: "test grant", entraTenantId: args.tenantId,
      passwordEnvelope: encryptSecret(keyRing(), args.password, passwordContext(id)),
    }),
  );
  return { id, upn };
}
