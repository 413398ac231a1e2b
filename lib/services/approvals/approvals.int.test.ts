import { describe, expect, it } from "vitest";
import { queue } from "@/lib/queue/producer";
import { createDelegation } from "@/lib/services/delegations/create";
import { listMyGrants } from "@/lib/services/grants/list";
import { requestGrant } from "@/lib/services/grants/request";
import { sweepDueGrants } from "@/lib/services/grants/sweep";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { updateAccessPolicy } from "@/lib/services/policies/update";
import { contextFor, expectAppError, inviteMember, steppedUpContext, type TestMember } from "@/test/factories";
import { auditOf, grantSuite, readGrant, stepsOf } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { approveGrant } from "./approve";
import { cancelGrantRequest } from "./cancel";
import { denyGrant } from "./deny";
import { expireApprovals } from "./expire";
import { countMyApprovals, listMyApprovals } from "./list";
import { reviewEmergencyGrant } from "./review";

// Approval: the queue, approve (with a passkey), deny, cancel, expiry, the two-person rule, no
// self-approval, the clock starting at approval, break glass, and the consent text kept with the grant.

const suite = grantSuite("approvals", "Approvals MSP");
const justification = "Ticket 6006: approval test request";

async function pendingRequest(policy: Record<string, unknown> = {}, form: Record<string, unknown> = {}) {
  const setup = await jitReadyCustomer(suite.msp);
  const created = await createAccessPolicy(contextFor(suite.msp.owner), { name: `Approval ${setup.customer.id}`, customerId: setup.customer.id, approval: "always", ...policy });
  const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 60, justification, ...form });
  return { ...setup, policy: created, grant };
}

const approveAs = async (member: TestMember, grantId: string, body: Record<string, unknown> = {}) => approveGrant(await steppedUpContext(member), grantId, body);
const provisioningJob = (grantId: string) => queue("provisioning").getJob(`provision-${grantId}`);

describe("approving", () => {
  it("the approver sees it in the queue, approves with a passkey and may shorten it; the clock starts at approval", async () => {
    const { grant, technician } = await pendingRequest();
    expect(grant.state).toBe("pending_approval");
    expect(await provisioningJob(grant.id)).toBeUndefined();
    const queued = await listMyApprovals(contextFor(suite.msp.owner));
    expect(queued.find((g) => g.id === grant.id)).toMatchObject({ memberId: technician.id, justification, durationMinutes: 60 });
    expect(await countMyApprovals(contextFor(suite.msp.owner))).toBeGreaterThanOrEqual(1);
    expect(await listMyApprovals(contextFor(technician))).toEqual([]);

    await expectAppError(approveGrant(contextFor(suite.msp.owner), grant.id, {}), "step_up_required");
    await expectAppError(approveAs(suite.msp.owner, grant.id, { durationMinutes: 90 }), "validation_failed");
    const before = Date.now();
    const approved = await approveAs(suite.msp.owner, grant.id, { durationMinutes: 30 });
    expect(approved).toMatchObject({ state: "approved", durationMinutes: 30, approvedBy: [suite.msp.owner.id] });
    expect(approved.startAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(approved.startAt.getTime()).toBeGreaterThan(grant.startAt.getTime());
    expect(await provisioningJob(grant.id)).toBeDefined();
    const [event] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.approved", targetId: grant.id });
    expect(event).toMatchObject({ actor_id: suite.msp.owner.id, metadata: { approvedBy: [suite.msp.owner.id], requesterId: technician.id, durationMinutes: 30 } });
    expect((await stepsOf(suite.msp.mspId, grant.id)).map((s) => [s.step, s.status])).toEqual([
      ["requested", "succeeded"],
      ["approval", "succeeded"],
    ]);
    await expectAppError(approveAs(suite.msp.owner, grant.id), "conflict");
  });

  it("a scheduled start still ahead is kept", async () => {
    const startAt = new Date(Date.now() + 3 * 3600_000);
    const { grant } = await pendingRequest({}, { startAt });
    const approved = await approveAs(suite.msp.owner, grant.id);
    expect(approved.startAt.toISOString()).toBe(startAt.toISOString());
  });

  it("two approvals need two different members", async () => {
    const admin = await inviteMember(suite.msp.owner, "admin");
    const { grant } = await pendingRequest({ approvalsRequired: 2 });
    expect(grant).toMatchObject({ approvalsRequired: 2 });
    const first = await approveAs(suite.msp.owner, grant.id);
    expect(first).toMatchObject({ state: "pending_approval", approvedBy: [suite.msp.owner.id] });
    expect(await provisioningJob(grant.id)).toBeUndefined();
    await expectAppError(approveAs(suite.msp.owner, grant.id), "conflict");
    expect((await listMyApprovals(contextFor(suite.msp.owner))).some((g) => g.id === grant.id)).toBe(false);
    const second = await approveAs(admin, grant.id);
    expect(second).toMatchObject({ state: "approved", approvedBy: [suite.msp.owner.id, admin.id] });
  });

  it("nobody approves their own request, not even an owner", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    const owner = contextFor(suite.msp.owner);
    await createDelegation(contextFor(suite.msp.owner, { stepUp: "fresh" }), { memberId: suite.msp.owner.id, customerId: setup.customer.id, accessLevelIds: [setup.level.id], maxDurationMinutes: 480 });
    const admin = await inviteMember(suite.msp.owner, "admin");
    await createAccessPolicy(owner, { name: `Self ${setup.customer.id}`, customerId: setup.customer.id, approval: "always", approverRoles: ["owner", "admin"] });
    const grant = await requestGrant(owner, { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification });
    expect(grant.approverIds).not.toContain(suite.msp.owner.id);
    expect(grant.approverIds).toContain(admin.id);
    await expectAppError(approveAs(suite.msp.owner, grant.id), "not_found");
    // Even when named among the approvers by a direct write, the requester is refused.
    await suite.sql`update grants set approver_ids = array_append(approver_ids, ${suite.msp.owner.id}) where id = ${grant.id}`;
    await expectAppError(approveAs(suite.msp.owner, grant.id), "forbidden");
    expect((await readGrant(suite.msp.mspId, grant.id)).state).toBe("pending_approval");
  });

  it("an access token cannot approve: it is sent to the console", async () => {
    const { grant } = await pendingRequest();
    const token = { ...contextFor(suite.msp.owner), actor: { type: "token" as const, tokenId: "tok_x", memberId: suite.msp.owner.id, role: "owner" as const, label: "t", scopes: ["approvals:write" as const], customerIds: null } };
    const err = await expectAppError(approveGrant(token, grant.id, {}), "forbidden");
    expect(err.details).toEqual({ consoleUrl: `/approvals#grant-${grant.id}` });
    // A token may deny.
    expect((await denyGrant(token, grant.id, { reason: "Not through the API today" })).state).toBe("denied");
  });
});

describe("denying, cancelling, expiring", () => {
  it("a denial keeps its reason, which the requester sees", async () => {
    const { grant, technician } = await pendingRequest();
    await expectAppError(denyGrant(contextFor(technician), grant.id, { reason: "Mine, mine" }), "not_found");
    const denied = await denyGrant(contextFor(suite.msp.owner), grant.id, { reason: "Use the helpdesk level instead" });
    expect(denied).toMatchObject({ state: "denied", denialReason: "Use the helpdesk level instead" });
    const [event] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.denied", targetId: grant.id });
    expect(event).toMatchObject({ reason: "Use the helpdesk level instead", metadata: { requesterId: technician.id, reason: "Use the helpdesk level instead" } });
    const history = await listMyGrants(contextFor(technician), { scope: "history" });
    expect(history.find((g) => g.id === grant.id)).toMatchObject({ state: "denied", denialReason: "Use the helpdesk level instead" });
    await expectAppError(approveAs(suite.msp.owner, grant.id), "conflict");
  });

  it("the requester can cancel a waiting request; nobody else can", async () => {
    const { grant, technician } = await pendingRequest();
    await expectAppError(cancelGrantRequest(contextFor(suite.msp.owner), grant.id), "not_found");
    expect((await cancelGrantRequest(contextFor(technician), grant.id)).state).toBe("cancelled");
    const [event] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.cancelled", targetId: grant.id });
    expect(event!.metadata).toMatchObject({ requesterId: technician.id });
    await expectAppError(cancelGrantRequest(contextFor(technician), grant.id), "conflict");
  });

  it("a request nobody approves in time expires, once, in the sweep; nothing was provisioned", async () => {
    const { grant, technician } = await pendingRequest({ approvalExpiryMinutes: 15 });
    expect(grant.approvalExpiresAt!.getTime() - grant.createdAt.getTime()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    await suite.sql`update grants set approval_expires_at = now() - interval '1 second' where id = ${grant.id}`;
    await expectAppError(approveAs(suite.msp.owner, grant.id), "conflict");
    expect((await sweepDueGrants()).approvalsExpired).toBeGreaterThanOrEqual(1);
    expect(await expireApprovals()).toBe(0);
    const expired = await readGrant(suite.msp.mspId, grant.id);
    expect(expired).toMatchObject({ state: "expired", entraUserId: null });
    const events = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.approval_expired", targetId: grant.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_type: "system", metadata: { requesterId: technician.id } });
    expect(await provisioningJob(grant.id)).toBeUndefined();
  });
});

describe("break glass", () => {
  it("skips approval, alerts every approver in the audit event, and waits for a review", async () => {
    const { grant, technician } = await pendingRequest({}, { emergency: true });
    expect(grant).toMatchObject({ state: "approved", emergency: true, reviewedAt: null });
    expect(await provisioningJob(grant.id)).toBeDefined();
    const [event] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.emergency_requested", targetId: grant.id });
    expect(event!.metadata).toMatchObject({ durationMinutes: 60, emergency: true });
    expect(event!.metadata.approverIds).toContain(suite.msp.owner.id);
    expect(event!.metadata.approverIds).not.toContain(technician.id);
    expect((await listMyApprovals(contextFor(suite.msp.owner))).find((g) => g.id === grant.id)).toMatchObject({ emergency: true });
    await expectAppError(reviewEmergencyGrant(contextFor(technician), grant.id, {}), "not_found");
    const reviewed = await reviewEmergencyGrant(contextFor(suite.msp.owner), grant.id, { note: "Outage, fine" });
    expect(reviewed).toMatchObject({ reviewedBy: suite.msp.owner.id });
    expect((await listMyApprovals(contextFor(suite.msp.owner))).some((g) => g.id === grant.id)).toBe(false);
    await expectAppError(reviewEmergencyGrant(contextFor(suite.msp.owner), grant.id, {}), "conflict");
  });
});

describe("consent", () => {
  it("the text accepted is kept with the grant; later edits do not change it", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    await suite.sql`update customers set consent_text = 'Customer terms v1' where id = ${setup.customer.id}`;
    const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: `Consent ${setup.customer.id}`, customerId: setup.customer.id, consentText: "Sessions are recorded (v1)." });
    const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification, consentAccepted: true });
    const agreed = "Customer terms v1\n\nSessions are recorded (v1).";
    expect(grant).toMatchObject({ consentText: agreed });
    expect(grant.consentAcceptedAt).toBeInstanceOf(Date);
    await updateAccessPolicy(contextFor(suite.msp.owner), policy.id, { name: policy.name, customerId: setup.customer.id, consentText: "Sessions are recorded (v2)." });
    await suite.sql`update customers set consent_text = 'Customer terms v2' where id = ${setup.customer.id}`;
    expect((await readGrant(suite.msp.mspId, grant.id)).consentText).toBe(agreed);
  });
});
