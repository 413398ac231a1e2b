import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { withMspTx } from "@/db/tx";
import { env } from "@/lib/env";
import { retryDelaysMs } from "@/lib/notifications/retry-schedule";
import type { NotificationPayload } from "@/lib/vocabulary/notification-payload";
import { recordAudit } from "@/lib/services/audit/record";
import { contextFor, expectAppError, inviteMember, type TestMember } from "@/test/factories";
import { grantSuite } from "@/test/grant-harness";
import { insertActiveGrant, jitReadyCustomer } from "@/test/grants";
import { startLocalSmtp } from "@/test/smtp-server";
import { startReceiver } from "@/test/webhook-receiver";
import { createEndpoint } from "./create-endpoint";
import { updateMyTimeZone } from "@/lib/services/members/update-my-time-zone";
import { deliverNotification } from "./deliver";
import { fanOutNotification } from "./fan-out";
import { listDeliveries } from "./list-deliveries";
import { rotateSigningSecret } from "./rotate-secret";
import { sendTestNotification } from "./send-test";
import { sweepNotifications } from "./sweep";
import { updateEndpoint } from "./update-endpoint";
import { updateMyNotificationPreferences } from "./update-preferences";
import { updateNotificationSettings } from "./update-settings";

const suite = grantSuite("notifications", "Notifications MSP");
let smtp: Awaited<ReturnType<typeof startLocalSmtp>>;
let ready: Awaited<ReturnType<typeof jitReadyCustomer>>;
let other: Awaited<ReturnType<typeof jitReadyCustomer>>;
let approver: TestMember;

const owner = () => contextFor(suite.msp.owner, { stepUp: "fresh" });

beforeAll(async () => {
  env.NOTIFY_SEND_TIMEOUT_SECONDS = 2;
  smtp = await startLocalSmtp();
  ready = await jitReadyCustomer(suite.msp);
  other = await jitReadyCustomer(suite.msp);
  approver = await inviteMember(suite.msp.owner, "admin");
  await updateNotificationSettings(owner(), {
    smtpHost: "127.0.0.1",
    smtpPort: smtp.port,
    smtpSecure: false,
    smtpUser: null,
    smtpFrom: "Stint <stint@msp.example>",
    reminderMinutes: 15,
    irrevocableRepeatMinutes: 60,
  });
});
afterAll(async () => {
  await smtp.close();
});

async function grantOf(customer = ready) {
  return insertActiveGrant({ mspId: suite.msp.mspId, customerId: customer.customer.id, memberId: customer.technician.id, tenantId: customer.tenant.id, domain: customer.domain, password: "x" });
}

/** Records an audit action as the owner, as a service would; returns the outbox rows not yet fanned out, newest first. */
async function record(action: string, target: { type: string; id: string }, metadata: Record<string, unknown> = {}, reason: string | null = null) {
  await withMspTx(suite.msp.mspId, (tx) => recordAudit(tx, owner(), { action, target, metadata, reason }));
  return suite.sql`select * from notification_outbox where msp_id = ${suite.msp.mspId} and fanned_out_at is null order by created_at desc`;
}

async function fanOutAll() {
  const pending = await suite.sql<{ id: string }[]>`select id from notification_outbox where msp_id = ${suite.msp.mspId} and fanned_out_at is null`;
  const ids: string[] = [];
  for (const row of pending) ids.push(...(await fanOutNotification(suite.msp.mspId, row.id)));
  return ids;
}

async function deliveriesOf(outboxId: string) {
  return suite.sql<{ id: string; endpoint_id: string | null; member_id: string | null; state: string; attempts: number; next_attempt_at: Date }[]>`
    select * from notification_deliveries where outbox_id = ${outboxId} order by created_at`;
}

describe("the outbox", () => {
  it("is written in the audited change's transaction: a rolled-back change announces nothing", async () => {
    const grant = await grantOf();
    await expect(
      withMspTx(suite.msp.mspId, async (tx) => {
        await recordAudit(tx, owner(), { action: "grant.approval_requested", target: { type: "grant", id: grant.id }, metadata: { approverIds: [approver.id] } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await suite.sql`select 1 from notification_outbox where grant_id = ${grant.id}`).toHaveLength(0);

    const [row] = await record("grant.approval_requested", { type: "grant", id: grant.id }, { approverIds: [approver.id], customer: ready.customer.id });
    expect(row).toMatchObject({ event: "grant.approval_requested", grant_id: grant.id, customer_id: ready.customer.id, member_ids: [approver.id], to_admins: false });
    const payload = row!.payload as NotificationPayload;
    expect(payload.data.grant).toMatchObject({ id: grant.id, customer: { name: ready.customer.name }, member: { id: ready.technician.id } });
    // The approval queue at this request: approving needs the approver's passkey there.
    expect(payload.data.url).toBe(`${new URL(env.APP_URL).origin}/approvals#grant-${grant.id}`);
    await fanOutAll();
  });

  it("maps the approval contract's actions to their audience, and ignores an approval nobody gave", async () => {
    const grant = await grantOf();
    expect(await record("grant.approved", { type: "grant", id: grant.id }, { decision: "policy.allowed" })).toHaveLength(0);
    const cases: [string, Record<string, unknown>, string[]][] = [
      ["grant.approved", { approvedBy: [approver.id], requesterId: ready.technician.id }, [ready.technician.id]],
      ["grant.denied", { requesterId: ready.technician.id, reason: "no" }, [ready.technician.id]],
      ["grant.approval_expired", { requesterId: ready.technician.id }, [ready.technician.id]],
      ["grant.cancelled", { requesterId: ready.technician.id }, [ready.technician.id]],
      ["grant.emergency_requested", { approverIds: [approver.id, suite.msp.owner.id] }, [approver.id, suite.msp.owner.id]],
      // Transitions carry no requester: it is the grant's member.
      ["grant.active", {}, [ready.technician.id]],
    ];
    for (const [action, metadata, to] of cases) {
      const [row] = await record(action, { type: "grant", id: grant.id }, metadata);
      expect(row, action).toMatchObject({ event: action, member_ids: to });
      await fanOutAll();
    }
    const [irrevocable] = await record("grant.irrevocable", { type: "grant", id: grant.id });
    expect(irrevocable).toMatchObject({ event: "grant.irrevocable", member_ids: [], to_admins: true });
    await fanOutAll();
  });
});

describe("signed webhooks", () => {
  it("retry with backoff against a receiver that fails then succeeds; one stable id, signatures the standardwebhooks library verifies", async () => {
    const receiver = await startReceiver([500, 503]);
    try {
      const { endpoint, secret } = await createEndpoint(owner(), { kind: "webhook", name: "SIEM", url: receiver.url, events: ["grant.active", "grant.ended"] });
      expect(secret).toMatch(/^whsec_/);
      const grant = await grantOf();
      const [event] = await record("grant.active", { type: "grant", id: grant.id });
      await fanOutAll();
      const [delivery] = (await deliveriesOf(event!.id)).filter((d) => d.endpoint_id === endpoint.id);

      const t0 = new Date();
      expect(await deliverNotification(suite.msp.mspId, delivery!.id, t0)).toEqual({ outcome: "retry", attempts: 1, retryInMs: retryDelaysMs[0] });
      // Not yet due: nothing is sent.
      expect(await deliverNotification(suite.msp.mspId, delivery!.id, new Date(t0.getTime() + 1_000))).toEqual({ outcome: "skipped" });
      const t1 = new Date(t0.getTime() + retryDelaysMs[0]);
      expect(await deliverNotification(suite.msp.mspId, delivery!.id, t1)).toEqual({ outcome: "retry", attempts: 2, retryInMs: retryDelaysMs[1] });
      const t2 = new Date(t1.getTime() + retryDelaysMs[1]);
      expect(await deliverNotification(suite.msp.mspId, delivery!.id, t2)).toEqual({ outcome: "delivered" });
      expect(await deliverNotification(suite.msp.mspId, delivery!.id, new Date(t2.getTime() + 3_600_000))).toEqual({ outcome: "skipped" });

      expect(receiver.requests.map((r) => r.status)).toEqual([500, 503, 200]);
      expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([event!.id]));
      const verifier = new Webhook(secret!);
      for (const r of receiver.requests) {
        const verified = verifier.verify(r.body, r.headers as Record<string, string>) as NotificationPayload;
        expect(verified).toMatchObject({ type: "grant.active", data: { grant: { id: grant.id } } });
      }
      const log = await listDeliveries(owner(), endpoint.id);
      expect(log[0]).toMatchObject({ messageId: event!.id, event: "grant.active", state: "delivered", attempts: 3, lastStatus: 200 });
    } finally {
      await receiver.close();
    }
  });

  it("sign with both secrets during a rotation's grace period, then with the new one only", async () => {
    const receiver = await startReceiver();
    try {
      const { endpoint, secret: oldSecret } = await createEndpoint(owner(), { kind: "webhook", name: "Rotating", url: receiver.url, events: ["grant.ended"] });
      const { secret: newSecret } = await rotateSigningSecret(owner(), endpoint.id, { graceHours: 24 });
      const sendOne = async (laterMs: number) => {
        const grant = await grantOf();
        const [event] = await record("grant.ended", { type: "grant", id: grant.id });
        await fanOutAll();
        const [d] = (await deliveriesOf(event!.id)).filter((x) => x.endpoint_id === endpoint.id);
        expect(await deliverNotification(suite.msp.mspId, d!.id, new Date(Date.now() + laterMs))).toEqual({ outcome: "delivered" });
        return receiver.requests.at(-1)!;
      };
      const during = await sendOne(0);
      expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      for (const s of [oldSecret!, newSecret]) expect(() => new Webhook(s).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

      const after = await sendOne(25 * 3_600_000);
      expect(() => new Webhook(newSecret).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(oldSecret!).verify(after.body, after.headers as Record<string, string>)).toThrow();
      await expectAppError(rotateSigningSecret(contextFor(suite.msp.owner, { stepUp: "stale" }), endpoint.id, {}), "step_up_required");
    } finally {
      await receiver.close();
    }
  });

  it("a persistently failing endpoint is turned off after a day of failures, and the admins are told", async () => {
    const receiver = await startReceiver(Array(20).fill(500));
    try {
      const { endpoint } = await createEndpoint(owner(), { kind: "webhook", name: "Broken receiver", url: receiver.url, events: ["grant.failed"] });
      await suite.sql`update notification_endpoints set consecutive_failures = 9, failing_since = now() - interval '25 hours' where id = ${endpoint.id}`;
      const grant = await grantOf();
      const [event] = await record("grant.failed", { type: "grant", id: grant.id });
      await fanOutAll();
      const [d] = (await deliveriesOf(event!.id)).filter((x) => x.endpoint_id === endpoint.id);
      await deliverNotification(suite.msp.mspId, d!.id);
      const [row] = await suite.sql`select enabled, disabled_reason from notification_endpoints where id = ${endpoint.id}`;
      expect(row).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining("10 deliveries in a row failed") });
      const [alert] = await suite.sql`select * from notification_outbox where event = 'notification.endpoint_disabled' and msp_id = ${suite.msp.mspId} and fanned_out_at is null`;
      expect(alert).toMatchObject({ to_admins: true });
      const made = await fanOutAll();
      const admins = await suite.sql`select member_id from notification_deliveries where id in ${suite.sql(made)} and member_id is not null`;
      expect(admins.map((a) => a.member_id).sort()).toEqual([suite.msp.owner.id, approver.id].sort());

      // Turned off, it receives nothing new; turned on again, its count starts afresh.
      const [next] = await record("grant.failed", { type: "grant", id: (await grantOf()).id });
      await fanOutAll();
      expect((await deliveriesOf(next!.id)).some((x) => x.endpoint_id === endpoint.id)).toBe(false);
      const back = await updateEndpoint(owner(), endpoint.id, { enabled: true });
      expect(back).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    } finally {
      await receiver.close();
    }
  });

  it("route by customer: an endpoint filtered to one customer hears nothing about another", async () => {
    const receiver = await startReceiver();
    try {
      const { endpoint } = await createEndpoint(owner(), { kind: "slack", name: "Customer A channel", url: receiver.url, events: ["grant.active"], customerIds: [ready.customer.id] });
      const [mine] = await record("grant.active", { type: "grant", id: (await grantOf(ready)).id });
      const [theirs] = await record("grant.active", { type: "grant", id: (await grantOf(other)).id });
      await fanOutAll();
      expect((await deliveriesOf(mine!.id)).some((d) => d.endpoint_id === endpoint.id)).toBe(true);
      expect((await deliveriesOf(theirs!.id)).some((d) => d.endpoint_id === endpoint.id)).toBe(false);
      const [d] = (await deliveriesOf(mine!.id)).filter((x) => x.endpoint_id === endpoint.id);
      expect(await deliverNotification(suite.msp.mspId, d!.id)).toEqual({ outcome: "delivered" });
      const body = JSON.parse(receiver.requests[0]!.body);
      expect(body.text).toContain(ready.customer.name);
      expect(body.blocks.at(-1).elements[0].url).toMatch(/\/grants\/gr_/);
    } finally {
      await receiver.close();
    }
  });

  it("send a test message to a Teams endpoint as an Adaptive Card, logged like any delivery", async () => {
    const receiver = await startReceiver();
    try {
      const { endpoint } = await createEndpoint(owner(), { kind: "teams", name: "Ops team", url: receiver.url, events: ["grant.kill_switch"] });
      const { messageId } = await sendTestNotification(contextFor(suite.msp.owner), endpoint.id);
      const [d] = await fanOutNotification(suite.msp.mspId, messageId);
      expect(await deliverNotification(suite.msp.mspId, d!)).toEqual({ outcome: "delivered" });
      const card = JSON.parse(receiver.requests[0]!.body);
      expect(card).toMatchObject({ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard" } }] });
      expect((await listDeliveries(owner(), endpoint.id))[0]).toMatchObject({ event: "notification.test", state: "delivered" });
    } finally {
      await receiver.close();
    }
  });
});

describe("e-mail", () => {
  it("reaches the requester through the MSP's SMTP server, with a link into the console; a temporary refusal is retried", async () => {
    const grant = await grantOf();
    const [event] = await record("grant.denied", { type: "grant", id: grant.id }, { requesterId: ready.technician.id }, "Not during the freeze");
    await fanOutAll();
    const [d] = (await deliveriesOf(event!.id)).filter((x) => x.member_id === ready.technician.id);
    smtp.reject(1);
    const first = await deliverNotification(suite.msp.mspId, d!.id);
    expect(first).toMatchObject({ outcome: "retry", attempts: 1 });
    expect(await deliverNotification(suite.msp.mspId, d!.id, new Date(Date.now() + retryDelaysMs[0]))).toEqual({ outcome: "delivered" });
    const mail = smtp.received.filter((m) => m.to.includes(ready.technician.email)).at(-1)!;
    expect(mail.subject).toBe("Request denied");
    expect(mail.messageId).toBe(`<${d!.id}@stint>`);
    expect(mail.text).toContain("Not during the freeze");
    expect(mail.html).toContain(`/grants/${grant.id}`);
  });

  it("writes a member's e-mail in the time zone they chose in the console", async () => {
    await updateMyTimeZone(contextFor(ready.technician), { timeZone: "Asia/Tokyo" });
    try {
      const grant = await grantOf();
      const [event] = await record("grant.denied", { type: "grant", id: grant.id }, { requesterId: ready.technician.id }, "Tokyo time");
      await fanOutAll();
      const [d] = (await deliveriesOf(event!.id)).filter((x) => x.member_id === ready.technician.id);
      expect(await deliverNotification(suite.msp.mspId, d!.id)).toEqual({ outcome: "delivered" });
      const mail = smtp.received.filter((m) => m.to.includes(ready.technician.email)).at(-1)!;
      expect(mail.text).toMatch(/When: \d{1,2} \w{3} \d{4}, \d{2}:\d{2} GMT\+9/);
    } finally {
      await updateMyTimeZone(contextFor(ready.technician), { timeZone: null });
    }
  });

  it("respects a member's muted events, and an e-mail endpoint gets its own copy", async () => {
    await updateMyNotificationPreferences(contextFor(ready.technician), { mutedEvents: ["grant.ending_soon"] });
    await createEndpoint(owner(), { kind: "email", name: "Service desk", emailTo: ["desk@msp.example"], events: ["grant.ending_soon"] });
    const grant = await grantOf();
    await suite.sql`update grants set ends_at = now() + interval '5 minutes' where id = ${grant.id}`;
    expect((await sweepNotifications()).reminders).toBeGreaterThanOrEqual(1);
    // Once per end time, however often the sweeper runs.
    await sweepNotifications();
    const reminders = await suite.sql`select id from notification_outbox where grant_id = ${grant.id} and event = 'grant.ending_soon'`;
    expect(reminders).toHaveLength(1);
    const made = await fanOutNotification(suite.msp.mspId, reminders[0]!.id);
    const rows = await deliveriesOf(reminders[0]!.id);
    expect(rows.some((r) => r.member_id === ready.technician.id)).toBe(false);
    const desk = rows.find((r) => r.endpoint_id)!;
    expect(made).toContain(desk.id);
    expect(await deliverNotification(suite.msp.mspId, desk.id)).toEqual({ outcome: "delivered" });
    expect(smtp.received.at(-1)).toMatchObject({ to: ["desk@msp.example"], subject: "Access ending soon" });
  });

  it("without any SMTP server, members' e-mail is not queued to be retried in vain; endpoints still get the event", async () => {
    expect(env.SMTP_URL).toBeUndefined();
    await suite.sql`update notification_settings set smtp_host = null where msp_id = ${suite.msp.mspId}`;
    try {
      const [event] = await record("grant.active", { type: "grant", id: (await grantOf()).id });
      await fanOutAll();
      const rows = await deliveriesOf(event!.id);
      expect(rows.filter((r) => r.member_id)).toEqual([]);
      expect(rows.filter((r) => r.endpoint_id).length).toBeGreaterThan(0);
    } finally {
      await suite.sql`update notification_settings set smtp_host = '127.0.0.1' where msp_id = ${suite.msp.mspId}`;
    }
  });
});

describe("alerts that repeat", () => {
  it("an irrevocable grant is announced again once its MSP's interval has passed, once per interval", async () => {
    const grant = await grantOf();
    await suite.sql`update grants set state = 'irrevocable' where id = ${grant.id}`;
    await record("grant.irrevocable", { type: "grant", id: grant.id });
    await fanOutAll();
    await sweepNotifications();
    expect(await suite.sql`select 1 from notification_outbox where grant_id = ${grant.id} and event = 'grant.irrevocable'`).toHaveLength(1);
    const later = new Date(Date.now() + 61 * 60_000);
    await sweepNotifications(later);
    await sweepNotifications(later);
    expect(await suite.sql`select 1 from notification_outbox where grant_id = ${grant.id} and event = 'grant.irrevocable'`).toHaveLength(2);
    await suite.sql`update grants set state = 'ended' where id = ${grant.id}`;
  });
});
