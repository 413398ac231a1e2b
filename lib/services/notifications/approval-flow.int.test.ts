import { afterAll, beforeAll, expect, it } from "vitest";
import { env } from "@/lib/env";
import { approveGrant } from "@/lib/services/approvals/approve";
import { denyGrant } from "@/lib/services/approvals/deny";
import { requestGrant } from "@/lib/services/grants/request";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor, steppedUpContext } from "@/test/factories";
import { grantSuite } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { startLocalSmtp } from "@/test/smtp-server";
import { deliverNotification } from "./deliver";
import { fanOutNotification } from "./fan-out";
import { updateNotificationSettings } from "./update-settings";

// The approval flow's own audit actions, through the outbox, to e-mails a real SMTP server receives.
const suite = grantSuite("notify_approvals", "Notify approvals MSP");
let smtp: Awaited<ReturnType<typeof startLocalSmtp>>;

beforeAll(async () => {
  smtp = await startLocalSmtp();
  await updateNotificationSettings(contextFor(suite.msp.owner, { stepUp: "fresh" }), {
    smtpHost: "127.0.0.1",
    smtpPort: smtp.port,
    smtpSecure: false,
    smtpUser: null,
    smtpFrom: null,
    reminderMinutes: 10,
    irrevocableRepeatMinutes: 60,
  });
});
afterAll(async () => {
  await smtp.close();
});

/** Sends everything the outbox holds for this MSP now, as the worker would. */
async function sendAll() {
  const events = await suite.sql<{ id: string }[]>`select id from notification_outbox where msp_id = ${suite.msp.mspId} and fanned_out_at is null`;
  for (const e of events) for (const d of await fanOutNotification(suite.msp.mspId, e.id)) await deliverNotification(suite.msp.mspId, d);
}

it("a request that needs approval e-mails the approver a link to the queue; denial and approval e-mail the requester", async () => {
  const setup = await jitReadyCustomer(suite.msp);
  await createAccessPolicy(contextFor(suite.msp.owner), { name: "Always approve", customerId: setup.customer.id, approval: "always" });
  const ask = () =>
    requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 60, justification: "Ticket 8080: reset a password" });

  const first = await ask();
  expect(first.state).toBe("pending_approval");
  await sendAll();
  const asked = smtp.received.find((m) => m.to.includes(suite.msp.owner.email) && m.subject === "Approval requested")!;
  expect(asked.text).toContain(`${new URL(env.APP_URL).origin}/approvals#grant-${first.id}`);
  expect(asked.text).toContain("Ticket 8080: reset a password");
  expect(smtp.received.some((m) => m.to.includes(setup.technician.email) && m.subject === "Approval requested")).toBe(false);

  await denyGrant(contextFor(suite.msp.owner), first.id, { reason: "Use the helpdesk level instead" });
  await sendAll();
  const denied = smtp.received.find((m) => m.to.includes(setup.technician.email) && m.subject === "Request denied")!;
  expect(denied.text).toContain("Use the helpdesk level instead");

  const second = await ask();
  await approveGrant(await steppedUpContext(suite.msp.owner), second.id, {});
  await sendAll();
  expect(smtp.received.find((m) => m.to.includes(setup.technician.email) && m.subject === "Request approved")!.text).toContain(`/grants/${second.id}`);
});
