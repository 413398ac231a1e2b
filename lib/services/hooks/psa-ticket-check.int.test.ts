import { beforeAll, describe, expect, it } from "vitest";
import { systemContext } from "@/lib/services/context";
import { endGrant } from "@/lib/services/grants/end";
import { expireGrant } from "@/lib/services/grants/expire";
import { provisionGrant } from "@/lib/services/grants/provision";
import { requestGrant } from "@/lib/services/grants/request";
import { deliverNotification } from "@/lib/services/notifications/deliver";
import { fanOutNotification } from "@/lib/services/notifications/fan-out";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { checkPsaConnection } from "@/lib/services/psa/check";
import { linkPsaCompany } from "@/lib/services/psa/link-company";
import { listPsaCompanies } from "@/lib/services/psa/list-companies";
import { savePsaConnection } from "@/lib/services/psa/save";
import { evaluatePolicy } from "@/lib/api/v1/policy";
import { contextFor, expectAppError, testRequest } from "@/test/factories";
import { grantSuite, readGrant } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { inspectConnectWiseInstance, inspectHaloInstance, psaBaseUrl, psaInstanceName, putConnectWiseInstance, putHaloInstance, setPsaRateLimit, setPsaTicketStatus } from "@/test/psa";
import { inspectTenant } from "@/test/entra";
import { createAccessHook } from "./create";
import { endGrantsOfClosedTickets } from "./end-closed-tickets";
import { updateAccessHook } from "./update";

// The built-in HaloPSA ticket check against the emulated HaloPSA: mapping, each refusal, the ticket asked for,
// notes before the account is made and after it is gone, a time entry.
const suite = grantSuite("psa_hooks", "PSA hooks MSP");
let setup: Awaited<ReturnType<typeof jitReadyCustomer>>;
const instance = psaInstanceName("hooks");
const settings = { kind: "halopsa" as const, baseUrl: "", clientId: "stint-app", clientSecret: "stint-secret" };
let hookId: string;
const admin = () => contextFor(suite.msp.owner, { stepUp: "fresh" });
const justification = "Ticket work: PSA check integration test";

beforeAll(async () => {
  setup = await jitReadyCustomer(suite.msp);
  settings.baseUrl = psaBaseUrl("halo", instance);
  await putHaloInstance(instance, {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    clients: [
      { id: 101, name: `${setup.customer.name} Ltd` },
      { id: 102, name: "Someone Else" },
    ],
    agents: [{ id: 7, name: "Tech", email: setup.technician.email }],
    tickets: [
      { id: 5001, summary: "Reset the CEO's MFA", company: 101, status: "In Progress", assignee: setup.technician.email },
      { id: 5002, summary: "Old work", company: 101, status: "Closed", assignee: setup.technician.email },
      { id: 5003, summary: "Another customer's", company: 102, status: "New", assignee: setup.technician.email },
      { id: 5004, summary: "Nobody's yet", company: 101, status: "New" },
    ],
  });
});

const ask = (more: Record<string, unknown> = {}) =>
  requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification, ...more });

describe("the HaloPSA ticket check", () => {
  it("connects, suggests the customer's company by name, and holds tickets to the confirmed one", async () => {
    const connection = await savePsaConnection(admin(), { name: "HaloPSA", settings });
    expect(connection).not.toHaveProperty("settingsEnvelope");
    expect((await checkPsaConnection(contextFor(suite.msp.owner), connection.id)).checkError).toBeNull();
    const mapping = await listPsaCompanies(contextFor(suite.msp.owner), connection.id);
    const mine = mapping.customers.find((c) => c.customerId === setup.customer.id)!;
    expect(mine).toMatchObject({ linked: null, suggested: { id: "101" } });
    await linkPsaCompany(contextFor(suite.msp.owner), connection.id, { customerId: setup.customer.id, companyId: mine.suggested!.id, companyName: mine.suggested!.name });

    const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: "Tickets", customerId: setup.customer.id });
    ({ hook: { id: hookId } } = await createAccessHook(admin(), policy.id, {
      kind: "psa_ticket",
      name: "HaloPSA ticket",
      psaConnectionId: connection.id,
      psaOptions: { requireAssignee: true, notes: true, timeEntry: true, endOnTicketClose: false },
    }));
  });

  it("the policy evaluation can run the check as a dry run: it says what the request would get, and writes nothing", async () => {
    const before = (await inspectHaloInstance(instance)).actions.length;
    const evaluate = (ticketRef: string) =>
      evaluatePolicy(contextFor(setup.technician), { action: "grants:write", resource: { customerId: setup.customer.id, accessLevelIds: [setup.level.id], ticketRef, runHooks: true } }, testRequest);
    const closed = await evaluate("5002");
    expect(closed.allowed).toBe(false);
    expect(closed.hooks).toEqual([{ hook: "HaloPSA ticket", verdict: "DENY", message: "HaloPSA ticket 5002 is Closed: access needs an open ticket.", questions: [], failed: null }]);
    expect(closed.reasons).toContainEqual({ code: "hook_denied", message: "HaloPSA ticket: HaloPSA ticket 5002 is Closed: access needs an open ticket." });
    const open = await evaluate("5001");
    expect(open).toMatchObject({ allowed: true, hooks: [{ verdict: "ACCEPT" }] });
    expect((await inspectHaloInstance(instance)).actions).toHaveLength(before);
    const [audit] = await suite.sql`select metadata from audit_events where action = 'hook.authenticate' and metadata->>'dryRun' = 'true' and target_id = ${setup.customer.id} limit 1`;
    expect(audit).toBeDefined();
  });

  it("says which check failed: unknown, closed, another company's, assigned to someone else", async () => {
    expect((await expectAppError(ask({ ticketRef: "9999" }), "validation_failed")).message).toBe("HaloPSA ticket: HaloPSA has no ticket 9999.");
    expect((await expectAppError(ask({ ticketRef: "5002" }), "validation_failed")).message).toBe("HaloPSA ticket: HaloPSA ticket 5002 is Closed: access needs an open ticket.");
    expect((await expectAppError(ask({ ticketRef: "5003" }), "validation_failed")).message).toContain("belongs to Someone Else");
    expect((await expectAppError(ask({ ticketRef: "#5004" }), "validation_failed")).message).toBe(`HaloPSA ticket: HaloPSA ticket 5004 is assigned to nobody, not to ${setup.technician.email}.`);
  });

  it("asks for the ticket when the request has none; the answer becomes the grant's ticket; notes and time land on it", async () => {
    const asked = await expectAppError(ask(), "needs_info");
    expect(asked.details).toMatchObject({ questions: [{ key: "ticket", hidden: false }] });
    const grant = await ask({ hookReply: { conversationId: (asked.details as { conversationId: string }).conversationId, answers: { ticket: "5001" } } });
    expect(grant).toMatchObject({ ticketRef: "5001", hookMetadata: "HaloPSA ticket 5001: Reset the CEO's MFA" });

    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    let actions = (await inspectHaloInstance(instance)).actions.filter((a) => a.ticket_id === 5001);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ hiddenfromuser: true });
    expect(actions[0]!.note).toContain(`admin access granted to`);
    expect(actions[0]!.note).toContain(`/grants/${grant.id}`);

    await endGrant(contextFor(setup.technician), grant.id, "ended_by_technician");
    await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false });
    const events = await suite.sql<{ id: string }[]>`select id from notification_outbox where grant_id = ${grant.id} and fanned_out_at is null`;
    for (const e of events) for (const d of await fanOutNotification(suite.msp.mspId, e.id)) await deliverNotification(suite.msp.mspId, d);
    actions = (await inspectHaloInstance(instance)).actions.filter((a) => a.ticket_id === 5001);
    const ended = await readGrant(suite.msp.mspId, grant.id);
    expect(actions.map((a) => a.note).join("\n")).toContain("is over (ended)");
    expect(actions.map((a) => a.note).join("\n")).toContain("expiry:disable: succeeded");
    expect(actions.find((a) => a.note.startsWith("Admin access on"))).toMatchObject({ timetaken: expect.any(Number), who_agentid: 7 });
    expect(actions.find((a) => a.note.startsWith("Admin access on"))!.timetaken).toBeGreaterThan(0);
    expect(ended.state).toBe("ended");
  });

  it("a ticket closed between request and start denies the grant before its account is made", async () => {
    await setPsaTicketStatus("halo", instance, 5001, "In Progress");
    const grant = await ask({ ticketRef: "5001", startAt: new Date(Date.now() + 60 * 60_000) });
    await setPsaTicketStatus("halo", instance, 5001, "Closed");
    await suite.sql`update grants set start_at = now() where id = ${grant.id}`;
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "denied" });
    expect((await readGrant(suite.msp.mspId, grant.id)).denialReason).toBe("HaloPSA ticket: HaloPSA ticket 5001 is Closed: access needs an open ticket.");
  });

  it("a policy that ends access with the ticket ends the grant when the ticket is closed, and never on a PSA that does not answer", async () => {
    await updateAccessHook(admin(), hookId, { psaOptions: { requireAssignee: true, notes: false, timeEntry: false, endOnTicketClose: true } });
    await setPsaTicketStatus("halo", instance, 5001, "In Progress");
    const grant = await ask({ ticketRef: "5001" });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    const watch = () => endGrantsOfClosedTickets(systemContext(suite.msp.mspId, "psa.ticket_watch"));
    expect(await watch()).toEqual({ checked: 1, ended: 0 });

    await setPsaTicketStatus("halo", instance, 5001, "Closed");
    await setPsaRateLimit("halo", instance, { calls: 5, retryAfterSeconds: 30 });
    expect(await watch()).toEqual({ checked: 1, ended: 0 });
    expect((await readGrant(suite.msp.mspId, grant.id)).state).toBe("active");

    await setPsaRateLimit("halo", instance, { calls: 0 });
    expect(await watch()).toEqual({ checked: 1, ended: 1 });
    expect(await readGrant(suite.msp.mspId, grant.id)).toMatchObject({ state: "expiring", endReason: "ticket_closed", revokeReason: "HaloPSA ticket 5001 was closed (Closed)." });
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "revoked" });
    expect(await watch()).toEqual({ checked: 0, ended: 0 });
    const account = (await inspectTenant(setup.tenant.id)).users.find((u) => u.userPrincipalName === grant.upn);
    expect(account).toMatchObject({ accountEnabled: false, roles: [] });
  });

  it("a PSA that does not answer counts as the check's failure policy says", async () => {
    await setPsaTicketStatus("halo", instance, 5001, "In Progress");
    await setPsaRateLimit("halo", instance, { calls: 10, retryAfterSeconds: 30 });
    const refused = await expectAppError(ask({ ticketRef: "5001" }), "validation_failed");
    expect(refused.message).toMatch(/^HaloPSA ticket: HaloPSA ticket did not answer: HaloPSA: /);
    await updateAccessHook(admin(), hookId, { onFailure: "allow" });
    const allowed = await ask({ ticketRef: "5001" });
    expect(allowed.state).toBe("approved");
    await setPsaRateLimit("halo", instance, { calls: 0 });
  });
});

describe("the ConnectWise PSA ticket check", () => {
  it("holds the ticket to the customer's company and writes its notes on the ticket", async () => {
    const cw = await jitReadyCustomer(suite.msp);
    const site = psaInstanceName("hooks-cw");
    await putConnectWiseInstance(site, {
      companyId: "stintmsp",
      publicKey: "pub",
      privateKey: "priv",
      companies: [{ id: 250, identifier: "CWCUST", name: cw.customer.name }],
      members: [{ id: 31, identifier: "ttech", firstName: "Tess", lastName: "Tech", primaryEmail: cw.technician.email }],
      tickets: [{ id: 7001, summary: "Rotate the break-glass account", company: 250, status: "In Progress", assignee: cw.technician.email }],
    });
    const connection = await savePsaConnection(admin(), {
      name: "ConnectWise",
      settings: { kind: "connectwise", siteUrl: psaBaseUrl("connectwise", site), companyId: "stintmsp", publicKey: "pub", privateKey: "priv", clientId: "stint-client" },
    });
    const { suggested } = (await listPsaCompanies(contextFor(suite.msp.owner), connection.id)).customers.find((c) => c.customerId === cw.customer.id)!;
    await linkPsaCompany(contextFor(suite.msp.owner), connection.id, { customerId: cw.customer.id, companyId: suggested!.id, companyName: suggested!.name });
    const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: "CW tickets", customerId: cw.customer.id });
    await createAccessHook(admin(), policy.id, { kind: "psa_ticket", name: "ConnectWise ticket", psaConnectionId: connection.id, psaOptions: { requireAssignee: true, notes: true, timeEntry: false, endOnTicketClose: false } });

    const grant = await requestGrant(contextFor(cw.technician), { customerId: cw.customer.id, accessLevelIds: [cw.level.id], durationMinutes: 30, justification, ticketRef: "#7001" });
    expect(grant.hookMetadata).toBe("ConnectWise PSA ticket 7001: Rotate the break-glass account");
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    const notes = (await inspectConnectWiseInstance(site)).notes.filter((n) => n.ticketId === 7001);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ internalAnalysisFlag: true });
    expect(notes[0]!.text).toContain(`/grants/${grant.id}`);
  });
});
