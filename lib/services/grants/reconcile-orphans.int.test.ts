import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues } from "@/lib/queue/producer";
import { systemContext } from "@/lib/services/context";
import { inspectTenant } from "@/test/entra";
import { contextFor, seedMspDirectly, type TestMsp } from "@/test/factories";
import { addTenantUser, deleteQueueKeys, useTestQueuePrefix } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { provisionGrant } from "./provision";
import { reconcileOrphans } from "./reconcile-orphans";
import { requestGrant } from "./request";

const prefix = useTestQueuePrefix("orphans");
let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Orphans MSP" });
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await closeDb();
});

describe("orphan reconciliation", () => {
  it("takes an account as a live grant's only when tenant, grant id and UPN all match it", async () => {
    const home = await jitReadyCustomer(msp, { signInMethod: "tap" });
    const elsewhere = await jitReadyCustomer(msp);
    const grant = await requestGrant(contextFor(home.technician), { customerId: home.customer.id, accessLevelIds: [home.level.id], durationMinutes: 60, justification: "Ticket 9: orphan scan" });
    expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const tag = { employeeType: "Stint JIT", employeeId: grant.id };
    // The live grant's tag copied onto another account of its tenant, and onto an account of another tenant.
    const impostor = await addTenantUser(home.tenant.id, { userPrincipalName: `copied-tag@${home.domain}`, displayName: "Copied tag", roles: ["Helpdesk Administrator"], properties: tag });
    const abroad = await addTenantUser(elsewhere.tenant.id, { userPrincipalName: `${grant.upn.split("@")[0]}@${elsewhere.domain}`, displayName: "Same tag abroad", roles: ["User Administrator"], properties: tag });

    expect(await reconcileOrphans(systemContext(msp.mspId, "grant.reconcile_orphans"))).toMatchObject({ disabled: 2, errors: 0 });
    const homeTenant = await inspectTenant(home.tenant.id);
    expect(homeTenant.users.find((u) => u.id === impostor.id)).toMatchObject({ accountEnabled: false, roles: [] });
    const liveAccount = homeTenant.users.find((u) => u.userPrincipalName === grant.upn)!;
    expect(liveAccount).toMatchObject({ accountEnabled: true });
    expect(liveAccount.roles).toHaveLength(2);
    expect(liveAccount.temporaryAccessPass).toMatchObject({ isUsable: true });
    expect((await inspectTenant(elsewhere.tenant.id)).users.find((u) => u.id === abroad.id)).toMatchObject({ accountEnabled: false, roles: [] });
  });
});
