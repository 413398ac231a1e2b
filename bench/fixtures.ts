import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import type { MisbehaviourInput } from "@/emulator/misbehaviour/settings";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import { enabledTapPolicy } from "@/test/tap-policy";
import { builtInRoles } from "@/lib/entra/role-catalog";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { requestGrant } from "@/lib/services/grants/request";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { emulator } from "./emulator-client";
import { GRANT_ROLES } from "./settings";
import { mapLimit } from "./stats";

/**
 * The bench's MSP: one MSP (seeded like test/factories.ts does), technicians who may request one access
 * level (Helpdesk + User Administrator) on every customer, and customers connected to emulated tenants
 * the way test/grants.ts jitReadyCustomer connects them (the connection row written directly; the
 * consent flow is not what is measured). The emulator is driven in process through bench/run.ts.
 */

export type BenchMsp = { msp: TestMsp; technicians: TestMember[]; accessLevelId: string };
export type BenchCustomer = { customerId: string; tenantId: string; domain: string; name: string };

export async function createBenchMsp(technicianCount: number): Promise<BenchMsp> {
  const msp = await seedMspDirectly({ mspName: `Bench MSP ${randomBytes(3).toString("hex")}` });
  const owner = contextFor(msp.owner);
  const level = await createAccessLevel(owner, { name: "Helpdesk (bench)", roleTemplateIds: GRANT_ROLES });
  const technicians = await mapLimit(Array.from({ length: technicianCount }), 4, () => inviteMember(msp.owner, "technician"));
  for (const technician of technicians) {
    // customerId null: every customer of the MSP, now and later.
    await createDelegation(owner, { memberId: technician.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 480 });
  }
  return { msp, technicians, accessLevelId: level.id };
}

/**
 * An emulated tenant with Stint's app consented; optionally with misbehaviour (throttling) set and `users`
 * ordinary users seeded (Graph's resource-unit quota depends on the tenant's size).
 */
export async function createTenant(label: string, options: { misbehaviour?: MisbehaviourInput; users?: number } = {}) {
  const slug = `bench-${label}-${randomBytes(4).toString("hex")}`;
  const domain = `${slug}.onmicrosoft.com`;
  const users = Array.from({ length: options.users ?? 0 }, (_, i) => ({ userPrincipalName: `user${i}@${domain}`, displayName: `User ${i}` }));
  // Passes enabled for everyone, so grants sign in with a Temporary Access Pass as they would in production.
  const tenant = await emulator.createTenant({ displayName: `Bench ${label}`, domains: [domain], users, misbehaviour: options.misbehaviour, tapPolicy: { state: "enabled" } });
  await emulator.setConsent(tenant.id, env.ENTRA_CLIENT_ID!, { granted: true });
  return { tenantId: tenant.id, domain: tenant.domains[0]!.id };
}

export async function createConnectedCustomer(bench: BenchMsp, label: string, tenant: { misbehaviour?: MisbehaviourInput; users?: number } = {}): Promise<BenchCustomer> {
  const { tenantId, domain } = await createTenant(label, tenant);
  const owner = contextFor(bench.msp.owner);
  const name = `Bench customer ${label} ${randomBytes(3).toString("hex")}`;
  const customer = await createCustomer(owner, { name });
  await systemTxBypassingRls(async (tx) => {
    await tx.insert(entraConnections).values({
      id: newId("connection"),
      mspId: bench.msp.mspId,
      customerId: customer.id,
      cloud: "microsoft",
      status: "connected",
      tenantId,
      tenantName: `Bench ${label}`,
      verifiedDomains: [domain],
      defaultDomain: domain,
      roleDefinitions: builtInRoles.map((r) => ({ templateId: r.templateId, displayName: r.displayName, isBuiltIn: true })),
      grantedPermissions: [...requiredGraphPermissions],
      tapPolicy: { ...enabledTapPolicy },
      tapPolicyReadAt: new Date(),
    });
    await tx.update(customers).set({ upnDomain: domain, maxDurationMinutes: 480, signInMethod: "tap" }).where(eq(customers.id, customer.id));
  });
  await setAccessLevelForCustomer(owner, customer.id, bench.accessLevelId, { enabled: true });
  return { customerId: customer.id, tenantId, domain, name };
}

/** A technician's request through the real service (policy, transaction, audit, provisioning queued). */
export function requestBenchGrant(bench: BenchMsp, technician: TestMember, customer: BenchCustomer) {
  return requestGrant(contextFor(technician), {
    customerId: customer.customerId,
    accessLevelIds: [bench.accessLevelId],
    durationMinutes: 60,
    justification: "Bench: measuring Stint against the emulator",
    ticketRef: "BENCH",
  });
}
