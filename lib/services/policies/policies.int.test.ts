import { describe, expect, it } from "vitest";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createDelegation } from "@/lib/services/delegations/create";
import { previewGrantRequest } from "@/lib/services/grants/evaluate-policy";
import { GrantDenied, requestGrant } from "@/lib/services/grants/request";
import { contextFor, expectAppError, inviteMember, steppedUpContext } from "@/test/factories";
import { auditOf, grantSuite } from "@/test/grant-harness";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer } from "@/test/grants";
import { createAccessPolicy } from "./create";
import { localTime } from "@/lib/policies/hours";
import { listAccessPolicies } from "./list";
import { removeAccessPolicy } from "./remove";
import { updateAccessPolicy } from "./update";

// Access policies: each condition a policy sets, with the reason code a refusal names, which policy
// applies, and what the policy evaluation shows before a request.

const suite = grantSuite("access-policies", "Access policy MSP");
const justification = "Ticket 4004: access policy test";

async function customerWithPolicy(policy: Record<string, unknown>) {
  const setup = await jitReadyCustomer(suite.msp);
  const created = await createAccessPolicy(contextFor(suite.msp.owner), { name: `Policy ${setup.customer.id}`, customerId: setup.customer.id, ...policy });
  return { ...setup, policy: created };
}

async function refusal(setup: Awaited<ReturnType<typeof jitReadyCustomer>>, form: Record<string, unknown>) {
  const err = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification, ...form }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(GrantDenied);
  return (err as GrantDenied).reasons;
}

/** Hours that hold (or do not hold) right now in UTC. */
function hoursAroundNow(holding: boolean) {
  const { day } = localTime(new Date(), "UTC");
  const other = day === 7 ? 1 : day + 1;
  return { hoursDays: [holding ? day : other], hoursFrom: "00:00", hoursTo: "23:59" };
}

describe("each condition refuses with its own reason", () => {
  it("a justification shorter than the policy's minimum: justification_too_short", async () => {
    const setup = await customerWithPolicy({ justificationMinLength: 60 });
    const reasons = await refusal(setup, {});
    expect(reasons).toEqual([{ code: "justification_too_short", field: "justification", message: "Explain why in at least 60 characters." }]);
  });

  it("a missing ticket: ticket_required; a ticket in the wrong format: ticket_format", async () => {
    const setup = await customerWithPolicy({ ticketRequired: true, ticketPattern: "INC-\\d{4,}" });
    expect((await refusal(setup, {})).map((r) => r.code)).toEqual(["ticket_required"]);
    expect(await refusal(setup, { ticketRef: "INC-12x" })).toEqual([{ code: "ticket_format", field: "ticketRef", message: "The ticket reference must match INC-\\d{4,}." }]);
    const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification, ticketRef: "INC-12345" });
    expect(grant).toMatchObject({ state: "approved", ticketRef: "INC-12345", policyId: setup.policy.id });
  });

  it("a start outside the allowed hours, in the customer's time zone: outside_allowed_hours", async () => {
    const setup = await customerWithPolicy({ restrictToHours: true, ...hoursAroundNow(false) });
    const [reason] = await refusal(setup, {});
    expect(reason).toMatchObject({ code: "outside_allowed_hours", field: "startAt" });
    expect(reason!.message).toContain("(UTC)");
    await updateAccessPolicy(contextFor(suite.msp.owner), setup.policy.id, { name: setup.policy.name, customerId: setup.customer.id, restrictToHours: true, ...hoursAroundNow(true) });
    const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification });
    expect(grant.state).toBe("approved");
  });

  it("a duration beyond the policy's maximum: duration_too_long", async () => {
    const setup = await customerWithPolicy({ maxDurationMinutes: 45 });
    expect(await refusal(setup, { durationMinutes: 60 })).toEqual([{ code: "duration_too_long", field: "durationMinutes", message: "durationMinutes: at most 45 minutes here." }]);
  });

  it("the policy's terms not accepted: consent_required", async () => {
    const setup = await customerWithPolicy({ consentText: "Sessions are recorded." });
    expect((await refusal(setup, {})).map((r) => r.code)).toEqual(["consent_required"]);
  });

  it("approval needed but nobody else may give it: no_approvers", async () => {
    await expect(customerWithPolicy({ approval: "always", approverRoles: [], approverMemberIds: [], approverTeamIds: [] })).rejects.toThrow(/Say who may approve/);
    const named = await customerWithPolicy({ approval: "always", approvalsRequired: 2, approverRoles: ["owner"] });
    const [reason] = await refusal(named, {});
    expect(reason).toMatchObject({ code: "no_approvers" });
    expect(reason!.message).toContain("only one other member");
  });

  it("break glass where the policy forbids it: emergency_not_allowed", async () => {
    const setup = await customerWithPolicy({ approval: "always", emergencyAllowed: false });
    expect((await refusal(setup, { emergency: true })).map((r) => r.code)).toEqual(["emergency_not_allowed"]);
  });

  it("a passkey step-up at request: without one the request is refused step_up_required, with one it goes through and is used up", async () => {
    const setup = await customerWithPolicy({ stepUpAtRequest: true });
    const form = { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification };
    await expectAppError(requestGrant(contextFor(setup.technician, { stepUp: "fresh" }), form), "step_up_required");
    const ctx = await steppedUpContext(setup.technician);
    expect((await requestGrant(ctx, form)).state).toBe("approved");
    const [row] = await suite.sql`select stepped_up_at from sessions where id = ${setup.technician.session.sessionId}`;
    expect(row!.stepped_up_at).toBeNull();
  });

  it("a second request while one waits for approval: request_pending", async () => {
    const setup = await customerWithPolicy({ approval: "always" });
    const form = { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification };
    const pending = await requestGrant(contextFor(setup.technician), form);
    expect(pending.state).toBe("pending_approval");
    const err = await expectAppError(requestGrant(contextFor(setup.technician), form), "conflict");
    expect(err.details).toMatchObject({ existingGrantId: pending.id, reasons: [{ code: "request_pending" }] });
  });
});

describe("when approval is required", () => {
  it("always: the request waits for approval, audited with who may approve", async () => {
    const setup = await customerWithPolicy({ approval: "always" });
    const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification });
    expect(grant).toMatchObject({ state: "pending_approval", approvalsRequired: 1, approverIds: [suite.msp.owner.id], emergency: false });
    expect(grant.approvalExpiresAt!.getTime() - grant.createdAt.getTime()).toBeGreaterThan(24 * 3600_000 - 5_000);
    const [event] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.approval_requested", targetId: grant.id });
    expect(event!.metadata).toMatchObject({ customer: setup.customer.id, accessLevels: [setup.level.id], durationMinutes: 30, approverIds: [suite.msp.owner.id], emergency: false });
  });

  it("privileged: only requests including a level flagged privileged wait", async () => {
    const setup = await customerWithPolicy({ approval: "privileged" });
    const owner = contextFor(suite.msp.owner);
    const privileged = await createAccessLevel(owner, { name: `Privileged ${setup.customer.id}`, roleTemplateIds: [HELPDESK_ADMINISTRATOR], privileged: true });
    await setAccessLevelForCustomer(owner, setup.customer.id, privileged.id, { enabled: true });
    await createDelegation(owner, { memberId: setup.technician.id, customerId: setup.customer.id, accessLevelIds: [privileged.id], maxDurationMinutes: 480 });
    const ctx = contextFor(setup.technician);
    expect((await previewGrantRequest(ctx, { customerId: setup.customer.id, accessLevelIds: [setup.level.id] })).demands.approvalRequired).toBe(false);
    const grant = await requestGrant(ctx, { customerId: setup.customer.id, accessLevelIds: [setup.level.id, privileged.id], durationMinutes: 30, justification });
    expect(grant.state).toBe("pending_approval");
  });

  it("outside hours: within the policy's hours no approval, outside them approval", async () => {
    const within = await customerWithPolicy({ approval: "outside_hours", ...hoursAroundNow(true) });
    const outside = await customerWithPolicy({ approval: "outside_hours", ...hoursAroundNow(false) });
    const demandsOf = async (s: typeof within) => (await previewGrantRequest(contextFor(s.technician), { customerId: s.customer.id, accessLevelIds: [s.level.id] })).demands;
    expect((await demandsOf(within)).approvalRequired).toBe(false);
    expect(await demandsOf(outside)).toMatchObject({ approvalRequired: true, approvalsRequired: 1, approvers: [{ id: suite.msp.owner.id }] });
  });

  it("approvers are named by role, team or member, and never include the requester", async () => {
    const admin = await inviteMember(suite.msp.owner, "admin");
    const peer = await inviteMember(suite.msp.owner, "technician");
    const setup = await customerWithPolicy({ approval: "always", approverRoles: ["technician"], approverMemberIds: [admin.id] });
    const { demands } = await previewGrantRequest(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id] });
    const ids = demands.approvers.map((a) => a.id);
    expect(ids).toContain(admin.id);
    expect(ids).toContain(peer.id);
    expect(ids).not.toContain(setup.technician.id);
    expect(ids).not.toContain(suite.msp.owner.id);
  });
});

describe("which policy applies", () => {
  it("customer × level beats customer, which beats the MSP default; removing one falls back", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    const owner = contextFor(suite.msp.owner);
    const ctx = contextFor(setup.technician);
    const preview = async () => (await previewGrantRequest(ctx, { customerId: setup.customer.id, accessLevelIds: [setup.level.id] })).demands;
    const onCustomer = await createAccessPolicy(owner, { name: `Customer ${setup.customer.id}`, customerId: setup.customer.id, ticketRequired: true });
    const onLevel = await createAccessPolicy(owner, { name: `Level ${setup.customer.id}`, customerId: setup.customer.id, accessLevelId: setup.level.id, approval: "always" });
    expect(await preview()).toMatchObject({ policies: [{ id: onLevel.id }], approvalRequired: true, ticketRequired: false });
    await removeAccessPolicy(owner, onLevel.id);
    expect(await preview()).toMatchObject({ policies: [{ id: onCustomer.id }], approvalRequired: false, ticketRequired: true });
    await expectAppError(createAccessPolicy(owner, { name: "Another", customerId: setup.customer.id }), "conflict");
    expect((await listAccessPolicies(owner)).map((p) => p.id)).toContain(onCustomer.id);
  });

  it("editing policies is for admins; a pattern that is no regular expression is refused", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    await expectAppError(createAccessPolicy(contextFor(setup.technician), { name: "Mine" }), "forbidden");
    await expect(createAccessPolicy(contextFor(suite.msp.owner), { name: "Bad pattern", customerId: setup.customer.id, ticketPattern: "INC-(" })).rejects.toThrow(/Not a valid regular expression/);
  });
});
