import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues } from "@/lib/queue/producer";
import { systemContext } from "@/lib/services/context";
import { inspectTenant } from "@/test/entra";
import { contextFor, seedMspDirectly, steppedUpContext, type TestMsp } from "@/test/factories";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer, USER_ADMINISTRATOR } from "@/test/grants";
import { expireGrant } from "./expire";
import { getGrant } from "./get";
import { provisionGrant } from "./provision";
import { requestGrant } from "./request";
import { revealCredential } from "./reveal-credential";

let msp: TestMsp;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Lifecycle MSP" });
});
afterAll(async () => {
  await closeQueues();
  await closeDb();
});

describe("the JIT account lifecycle", () => {
  it("requests, provisions with every role, reveals after step-up, and expires verified in Graph", async () => {
    const { tenant, customer, level, technician } = await jitReadyCustomer(msp);
    const ctx = contextFor(technician);
    const grant = await requestGrant(ctx, { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 4711: reset MFA for a user" });
    expect(grant.state).toBe("approved");

    expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const afterProvision = await inspectTenant(tenant.id);
    const user = afterProvision.users.find((u) => u.userPrincipalName === grant.upn)!;
    expect(user).toBeDefined();
    expect(user.accountEnabled).toBe(true);
    const roles = afterProvision.roleAssignments.filter((a) => a.principalId === user.id).map((a) => a.roleDefinitionId).sort();
    expect(roles).toEqual([HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR].sort());

    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential.userPrincipalName).toBe(grant.upn);
    expect(credential.password).toHaveLength(24);

    const { steps } = await getGrant(ctx, grant.id);
    expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual(["requested:succeeded", "create_user:succeeded", "assign_roles:succeeded", "verify:succeeded"]);

    const { endGrant } = await import("./end");
    await endGrant(ctx, grant.id, "ended_by_technician");
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    const afterExpiry = await inspectTenant(tenant.id);
    const ended = afterExpiry.users.find((u) => u.id === user.id)!;
    expect(ended.accountEnabled).toBe(false);
    expect(afterExpiry.roleAssignments.filter((a) => a.principalId === user.id)).toEqual([]);
    expect(afterExpiry.revocations.some((r) => r.userId === user.id)).toBe(true);
  });
});
