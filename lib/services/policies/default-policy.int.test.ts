import { describe, expect, it } from "vitest";
import { previewGrantRequest } from "@/lib/services/grants/evaluate-policy";
import { requestGrant } from "@/lib/services/grants/request";
import { contextFor } from "@/test/factories";
import { grantSuite } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { createAccessPolicy } from "./create";

// The MSP's default policy covers every customer without one of its own; without any policy, nothing is asked.

const suite = grantSuite("default-policy", "Default policy MSP");
const justification = "Ticket 5005: default policy test";

describe("the MSP's default policy", () => {
  it("without a policy a request is approved at once; with a default asking approval it waits", async () => {
    const first = await jitReadyCustomer(suite.msp);
    const none = await previewGrantRequest(contextFor(first.technician), { customerId: first.customer.id, accessLevelIds: [first.level.id] });
    expect(none.demands).toMatchObject({ policies: [], approvalRequired: false, ticketRequired: false, justificationMinLength: 10, consentText: null });
    expect((await requestGrant(contextFor(first.technician), { customerId: first.customer.id, accessLevelIds: [first.level.id], durationMinutes: 30, justification })).state).toBe("approved");

    const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: "MSP default", approval: "always" });
    const second = await jitReadyCustomer(suite.msp);
    const grant = await requestGrant(contextFor(second.technician), { customerId: second.customer.id, accessLevelIds: [second.level.id], durationMinutes: 30, justification });
    expect(grant).toMatchObject({ state: "pending_approval", policyId: policy.id });
  });
});
