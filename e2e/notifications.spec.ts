import { expect, test, type Page } from "@playwright/test";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { requestGrant } from "@/lib/services/grants/request";
import { listCustomers } from "@/lib/services/customers/list";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { waitForMail } from "./support/mail";
import { joinWithPasskey } from "./support/passkey-member";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * Notification settings in the console: an admin (with a real passkey, for the step-ups) adds an e-mail endpoint
 * and a signed webhook, sends a test that the local SMTP server receives and the delivery log shows delivered;
 * a technician's grant becoming active e-mails them, with a link into the console; members mute events on their
 * account page. Screenshots of the settings (1280 and 390 px) and of a rendered e-mail go to docs/screenshots.
 */
test.describe.configure({ mode: "serial" });

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const shots = (name: string) => `docs/screenshots/${name}.png`;
const DESK = "service-desk@notify-msp.example";

let msp: TestMsp;
let technician: TestMember;
let adminPage: Page;

test.beforeAll(async ({ browser }) => {
  msp = await seedMspDirectly({ mspName: "Notify MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Theo Technician" });
  adminPage = await joinWithPasskey(browser, msp, { email: "nora@notify-msp.example", displayName: "Nora Admin", role: "admin" }, DESKTOP);
});

test.afterAll(async () => {
  await closeDb();
});

test("an admin adds an e-mail endpoint with a passkey, sends a test, and sees it delivered in the log", async () => {
  await visit(adminPage, "/notifications");
  await adminPage.getByRole("button", { name: "Add endpoint" }).click();
  const form = adminPage.getByTestId("add-endpoint-form");
  await form.getByLabel("Name", { exact: true }).fill("Service desk");
  await form.getByLabel("Addresses").fill(DESK);
  await form.getByLabel("Access active").check();
  await form.getByRole("button", { name: "Add endpoint" }).click();
  const endpoint = adminPage.getByTestId("endpoint-Service desk");
  await expect(endpoint).toContainText(DESK);
  await expect(endpoint).toContainText("On");

  await endpoint.getByRole("button", { name: "Send test" }).click();
  const mail = await waitForMail((m) => m.to.includes(DESK) && m.subject === "Stint test message");
  expect(mail.from).toBe("stint@e2e.example");
  await expect
    .poll(
      async () => {
        await endpoint.getByRole("button", { name: "Refresh" }).click();
        return endpoint.getByTestId(/^delivery-dlv_/).first().textContent();
      },
      { timeout: 20_000 },
    )
    .toContain("Delivered");
  await expect(endpoint.getByTestId(/^delivery-dlv_/).first()).toContainText("Test message");
});

test("a signed webhook shows its secret once; the settings page fits a desktop and a phone", async ({ browser, baseURL }) => {
  await adminPage.getByRole("button", { name: "Add endpoint" }).click();
  const form = adminPage.getByTestId("add-endpoint-form");
  await form.getByLabel("Channel").selectOption("webhook");
  await form.getByLabel("Name", { exact: true }).fill("PSA webhook");
  await form.getByLabel("Webhook URL").fill("https://psa.notify-msp.example/stint");
  await form.getByRole("button", { name: "Add endpoint" }).click();
  await expect(adminPage.getByTestId("new-signing-secret").getByRole("textbox")).toHaveValue(/^whsec_/);
  await adminPage.getByRole("button", { name: "Done" }).click();
  await expect(adminPage.getByTestId("new-signing-secret")).toHaveCount(0);
  const webhook = adminPage.getByTestId("endpoint-PSA webhook");
  await expect(webhook).toContainText("psa.notify-msp.example");
  await expect(webhook).not.toContainText("/stint");
  await adminPage.getByTestId("endpoint-Service desk").getByRole("button", { name: "Delivery log" }).click();
  await adminPage.getByTestId("endpoint-Service desk").getByRole("button", { name: "Delivery log" }).click();
  await expect(adminPage.getByTestId("endpoint-Service desk").getByText("Delivered")).toBeVisible();
  await adminPage.screenshot({ path: shots("notifications"), fullPage: true });

  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL! }]);
  const phonePage = await phone.newPage();
  await visit(phonePage, "/notifications");
  await expect(phonePage.getByTestId("endpoint-PSA webhook")).toBeVisible();
  expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phonePage.screenshot({ path: shots("notifications-phone"), fullPage: true });
  await phone.close();
});

test("a technician's access becoming active e-mails them and the subscribed desk, with a link into the console", async ({ browser }) => {
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, "Fabrikam Notify", "tap");
  const customerId = (await listCustomers(contextFor(msp.owner))).find((c) => c.name === "Fabrikam Notify")!.id;
  const grant = await requestGrant(contextFor(technician), { customerId, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 3141: unlock a mailbox" });
  const mine = await waitForMail((m) => m.to.includes(technician.email) && m.subject === "Access active", 60_000);
  expect(mine.text).toContain("Access of Theo Technician to Fabrikam Notify is active.");
  expect(mine.html).toContain(`/grants/${grant.id}`);
  await waitForMail((m) => m.to.includes(DESK) && m.subject === "Access active");

  // The e-mail as a mail client shows it.
  const viewer = await browser.newPage({ viewport: { width: 720, height: 900 } });
  await viewer.setContent(mine.html);
  await expect(viewer.getByRole("link", { name: "Open in Stint" })).toHaveAttribute("href", new RegExp(`/grants/${grant.id}$`));
  await viewer.screenshot({ path: shots("notification-email"), fullPage: true });
  await viewer.setViewportSize(PHONE);
  await viewer.screenshot({ path: shots("notification-email-phone"), fullPage: true });
  await viewer.close();
});

test("a member mutes an event on their account page", async () => {
  await visit(adminPage, "/account");
  const prefs = adminPage.getByTestId("notification-preferences");
  await prefs.getByLabel("Connection unhealthy").uncheck();
  await prefs.getByRole("button", { name: "Save preferences" }).click();
  await expect(prefs).toContainText("Saved.");
  await adminPage.reload();
  await expect(adminPage.getByTestId("notification-preferences").getByLabel("Connection unhealthy")).not.toBeChecked();
  await expect(adminPage.getByTestId("notification-preferences").getByLabel("Access could not be removed")).toBeChecked();
});
