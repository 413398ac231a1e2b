import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { inspectHaloInstance, psaBaseUrl, putConnectWiseInstance, putHaloInstance } from "./support/emulator";
import { joinWithPasskey } from "./support/passkey-member";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * Hooks and PSA ticket checks in the console. An admin (with a passkey, for the step-ups) connects an emulated
 * HaloPSA, checks it and confirms the company Stint suggests for a customer; then adds a PSA ticket check to a
 * policy (and a signed webhook, whose secret is shown once, moved, turned off and removed). A technician asking
 * for access without a ticket is asked for one in the request form, and the ticket gets Stint's note. A PSA that
 * refuses the credentials shows as a readable error. Screenshots at 1280 and 390 px go to docs/screenshots.
 */
test.describe.configure({ mode: "serial" });

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const shots = (name: string) => `docs/screenshots/${name}.png`;
const CUSTOMER = "Contoso Retail";
const POLICY = "Ticket check";
const instance = `hooks-${randomBytes(4).toString("hex")}`;
const halo = {
  clientId: "stint-e2e-halo",
  clientSecret: `halo-secret-${randomBytes(8).toString("hex")}`,
  clients: [
    { id: 12, name: "Contoso Retail Ltd" },
    { id: 15, name: "Fabrikam" },
  ],
  agents: [{ id: 3, name: "Sam Rivers", email: "sam.rivers@hooks-msp.example" }],
  tickets: [
    { id: 1001, summary: "Mailbox permissions for the finance team", company: 12, status: "In Progress" },
    { id: 1004, summary: "Printer on floor 2", company: 15, status: "In Progress" },
  ],
};

let msp: TestMsp;
let technician: TestMember;
let adminPage: Page;

test.beforeAll(async ({ browser }) => {
  await putHaloInstance(instance, halo);
  msp = await seedMspDirectly({ mspName: "Hooks MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Theo Technician" });
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "password");
  await createAccessPolicy(contextFor(msp.owner), { name: POLICY });
  adminPage = await joinWithPasskey(browser, msp, { email: "nora@hooks-msp.example", displayName: "Nora Admin", role: "admin" }, DESKTOP);
});

test.afterAll(async () => {
  await closeDb();
});

/** The same page on a phone, as the owner, checked to fit its width; `subject` is what is photographed once shown. */
async function onPhone(browser: Browser, baseURL: string, path: string, shot: string, subject: (page: Page) => Locator) {
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL }]);
  const page = await phone.newPage();
  await visit(page, path);
  await expect(subject(page)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await subject(page).screenshot({ path: shots(shot) });
  await phone.close();
}

test("an admin connects HaloPSA with a passkey, checks it and confirms the suggested company", async ({ browser, baseURL }) => {
  await visit(adminPage, "/integrations/psa");
  await expect(adminPage.getByTestId("psa-mapping-empty")).toContainText("Connect a PSA above first");
  await adminPage.getByTestId("psa-halopsa").getByRole("button", { name: "Connect HaloPSA" }).click();
  const form = adminPage.getByTestId("psa-form-halopsa");
  await form.getByLabel("Resource server URL").fill(psaBaseUrl("halo", instance));
  await form.getByLabel("Client ID").fill(halo.clientId);
  await form.getByLabel("Client secret").fill(halo.clientSecret);
  await form.getByRole("button", { name: "Connect", exact: true }).click();

  const card = adminPage.getByTestId("psa-halopsa");
  await expect(card).toContainText(psaBaseUrl("halo", instance));
  await expect(card).toContainText("Not checked");
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("psa-check-result")).toContainText("Connected: Stint signed in and read the companies");

  const row = adminPage.getByTestId(`psa-customer-${CUSTOMER}`);
  await expect(row).toContainText("Suggested");
  await expect(row.getByRole("combobox")).toHaveValue("12");
  await row.getByRole("button", { name: "Confirm" }).click();
  await expect(row).toContainText("Confirmed");
  // Unlinked, the suggestion is back, and confirmed again.
  await row.getByRole("button", { name: "Unlink" }).click();
  await expect(row).toContainText("Suggested");
  await row.getByRole("button", { name: "Confirm" }).click();
  await expect(row.getByRole("button", { name: "Unlink" })).toBeVisible();
  await adminPage.screenshot({ path: shots("psa-desktop"), fullPage: true });
  await onPhone(browser, baseURL!, "/integrations/psa", "psa-mobile", (page) => page.locator("main"));
});

test("ConnectWise PSA connects beside it, and its private key left empty on a change keeps the stored one", async () => {
  const site = `hooks-cw-${randomBytes(4).toString("hex")}`;
  const keys = { companyId: "hooksmsp", publicKey: "pub-hooks", privateKey: `priv-${randomBytes(8).toString("hex")}` };
  await putConnectWiseInstance(site, { ...keys, companies: [{ id: 250, identifier: "ContosoRetail", name: "Contoso Retail" }], members: [], tickets: [] });
  const card = adminPage.getByTestId("psa-connectwise");
  await card.getByRole("button", { name: "Connect ConnectWise PSA" }).click();
  const fill = async (withPrivateKey: boolean) => {
    await card.getByLabel("Site URL").fill(psaBaseUrl("connectwise", site));
    await card.getByLabel("Company ID").fill(keys.companyId);
    await card.getByLabel("Public key").fill(keys.publicKey);
    if (withPrivateKey) await card.getByLabel("Private key").fill(keys.privateKey);
    await card.getByLabel("Client ID").fill("5d2bd5c6-58ac-4d4e-9b39-7d1c3a2e8f10");
  };
  await fill(true);
  await card.getByRole("button", { name: "Connect", exact: true }).click();
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("psa-check-result")).toContainText("Connected");

  await card.getByRole("button", { name: "Change settings" }).click();
  await expect(card.getByLabel("Private key")).toHaveValue("");
  await fill(false);
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card).toContainText("Not checked");
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("psa-check-result")).toContainText("Connected");
  await expect(adminPage.getByTestId("psa-mapping-connectwise").getByTestId(`psa-customer-${CUSTOMER}`)).toContainText("Suggested");
});

test("the admin adds a PSA ticket check to a policy and changes it; a webhook's secret is shown once, and it moves, turns off and goes", async ({ browser, baseURL }) => {
  await visit(adminPage, "/access-policies");
  const policy = adminPage.getByTestId("policy").filter({ hasText: POLICY });
  const hooks = policy.getByTestId("policy-hooks");
  await expect(hooks).toContainText("No hooks: the policy alone decides.");

  await hooks.getByRole("button", { name: "Add PSA ticket check" }).click();
  const psaForm = hooks.getByTestId("add-hook-psa_ticket");
  await psaForm.getByLabel("PSA", { exact: true }).selectOption({ label: "HaloPSA" });
  await psaForm.getByLabel("End the access when the ticket is closed").check();
  await psaForm.screenshot({ path: shots("policy-hook-psa-form-desktop") });
  await psaForm.getByRole("button", { name: "Add ticket check" }).click();
  const check = hooks.getByTestId("hook-PSA ticket check");
  await expect(check.getByTestId("hook-position")).toHaveText("1.");
  await expect(check).toContainText("HaloPSA · notes · ends with the ticket");
  await expect(check).toContainText("Before the account is made");

  await hooks.getByRole("button", { name: "Add webhook" }).click();
  const webhookForm = hooks.getByTestId("add-hook-webhook");
  await webhookForm.getByLabel("Name").fill("Change freeze");
  await webhookForm.getByLabel("URL").fill("https://freeze.hooks-msp.example/stint");
  await webhookForm.getByLabel("Timeout (seconds)").fill("3");
  await webhookForm.getByLabel("If it does not answer").selectOption("allow");
  await webhookForm.getByRole("button", { name: "Add webhook" }).click();
  await expect(hooks.getByTestId("new-signing-secret").getByRole("textbox")).toHaveValue(/^whsec_/);
  await expect(hooks.getByTestId("new-signing-secret")).toContainText("Standard Webhooks");
  const webhook = hooks.getByTestId("hook-Change freeze");
  await expect(webhook.getByTestId("hook-position")).toHaveText("2.");
  await expect(webhook).toContainText("Timeout 3 s · without an answer: go on without it");
  await webhook.getByRole("button", { name: "Move Change freeze up" }).click();
  await expect(webhook.getByTestId("hook-position")).toHaveText("1.");
  await expect(check.getByTestId("hook-position")).toHaveText("2.");
  await webhook.getByRole("button", { name: "Turn off" }).click();
  await expect(webhook).toContainText("Turned off");
  await hooks.getByRole("button", { name: "Done" }).click();
  await expect(hooks.getByTestId("new-signing-secret")).toHaveCount(0);
  await policy.screenshot({ path: shots("policy-hooks-desktop") });
  await onPhone(browser, baseURL!, "/access-policies", "policy-hooks-mobile", (page) => page.getByTestId("policy").filter({ hasText: POLICY }));

  await webhook.getByRole("button", { name: "Remove" }).click();
  const dialog = adminPage.getByRole("dialog");
  await expect(dialog).toContainText("Remove the hook “Change freeze”?");
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(webhook).toHaveCount(0);
  await expect(check.getByTestId("hook-position")).toHaveText("1.");

  await check.getByRole("button", { name: "Change" }).click();
  await expect(check.getByLabel("PSA", { exact: true })).toBeDisabled();
  await check.getByLabel("Timeout (seconds)").fill("8");
  await check.getByRole("button", { name: "Save" }).click();
  await expect(check).toContainText("Timeout 8 s · without an answer: deny the request");
  await expect(check.getByRole("button", { name: "Save" })).toHaveCount(0);
});

test("a technician asking without a ticket is asked for one; the ticket of the customer's company lets access through; the ticket gets a note at the start and, with the proof of removal, at the end", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.addCookies([{ name: "stint_session", value: technician.session.token, url: baseURL! }]);
  const page = await context.newPage();
  await visit(page, "/access/request");
  await page.getByLabel("Customer").selectOption({ label: `${CUSTOMER} (Sandbox — emulated tenant)` });
  await expect(page.getByRole("checkbox", { name: /Helpdesk/ })).toBeChecked();
  await page.getByLabel("Justification").fill("Unlock the finance team's shared mailbox");
  await page.getByRole("button", { name: "Request access" }).click();

  const questions = page.getByTestId("hook-questions");
  await expect(questions).toContainText("PSA ticket check asks");
  await expect(questions).toContainText(`${CUSTOMER} needs a HaloPSA ticket.`);
  await questions.getByLabel("HaloPSA ticket number for this work").fill("1001");
  await page.getByRole("button", { name: "Send answers" }).click();
  await expect(page).toHaveURL(/\/access#grant-gr_/);
  await expect(page.getByTestId("live-grant")).toContainText(CUSTOMER);
  // Before the account is made the check runs again and writes the access on the ticket.
  await expect
    .poll(async () => (await inspectHaloInstance(instance)).actions.filter((a) => a.ticket_id === 1001).map((a) => a.note).join("\n"), { timeout: 30_000 })
    .toContain("Stint: admin access granted to Theo Technician");

  // Ended early: once the access is gone (verified), the ticket gets the real exposure and the proof of removal.
  const card = page.getByTestId("live-grant");
  await expect(card.getByTestId("grant-state")).toHaveText("Active", { timeout: 30_000 });
  await card.getByRole("button", { name: "End now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "End access" }).click();
  await expect
    .poll(async () => (await inspectHaloInstance(instance)).actions.filter((a) => a.ticket_id === 1001).map((a) => a.note).join("\n"), { timeout: 30_000 })
    .toContain("is over (ended)");
  const notes = (await inspectHaloInstance(instance)).actions.filter((a) => a.ticket_id === 1001).map((a) => a.note);
  expect(notes).toHaveLength(2);
  expect(notes[1]).toContain("Proof of removal, read back from Microsoft Graph:");
  expect(notes[1]).toContain("expiry:disable: succeeded");
  await context.close();
});

test("a PSA that refuses the credentials shows why, on the check and where the companies would be", async () => {
  await putHaloInstance(instance, { ...halo, clientSecret: "rotated-in-halo" });
  await visit(adminPage, "/integrations/psa");
  await expect(adminPage.getByTestId("psa-mapping-error")).toContainText("Could not read the companies:");
  const card = adminPage.getByTestId("psa-halopsa");
  await card.getByRole("button", { name: "Check connection" }).click();
  await expect(card.getByTestId("psa-check-result")).toContainText("Check failed");
  await expect(card).toContainText("Failing");
});
