import { expect, test, type Page } from "@playwright/test";
import { closeDb } from "@/db/client";
import { createCustomer } from "@/lib/services/customers/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";

/**
 * An admin connects the sandbox customer through the emulated Microsoft sign-in and consent pages,
 * defines an access level, enables it and delegates it to a technician; the technician then sees exactly
 * that customer, and another customer stays invisible to them (UI and direct request).
 */
test.describe.configure({ mode: "serial" });

const SANDBOX_ADMIN = "megan.bowen@contoso-sandbox.onmicrosoft.com";
let msp: TestMsp;
let technician: TestMember;
let hiddenCustomerId: string;
let sandboxCustomerUrl: string;
let ownerPage: Page;

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Sandbox MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Tina Technician" });
  hiddenCustomerId = (await createCustomer(contextFor(msp.owner), { name: "Hidden Industries" })).id;
  const context = await browser.newContext();
  await context.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL! }]);
  ownerPage = await context.newPage();
});

test.afterAll(async () => {
  await closeDb();
});

test("the admin adds the sandbox customer and connects it through Microsoft's sign-in and consent pages", async () => {
  await ownerPage.goto("/customers");
  await ownerPage.getByRole("button", { name: "Add sandbox customer" }).click();
  await expect(ownerPage).toHaveURL(/\/customers\/cus_/);
  await expect(ownerPage.getByText("Sandbox — emulated tenant").first()).toBeVisible();
  sandboxCustomerUrl = new URL(ownerPage.url()).pathname;

  await ownerPage.getByRole("button", { name: "Connect Entra ID" }).click();
  await ownerPage.getByRole("textbox", { name: "Email address" }).fill(SANDBOX_ADMIN);
  await ownerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(ownerPage.getByText("Stint (sandbox)").first()).toBeVisible();
  await ownerPage.getByRole("button", { name: "Accept" }).click();

  await expect(ownerPage).toHaveURL(/\/customers\/cus_[^?]+\?connected=1/);
  const card = ownerPage.getByTestId("connection-card");
  await expect(card).toContainText("Connected");
  await expect(card).toContainText("contoso-sandbox.onmicrosoft.com");
  await expect(card).toContainText("Healthy");
  await ownerPage.screenshot({ path: "docs/screenshots/customer-connected.png", fullPage: true });
});

test("the admin defines an access level and enables it on the sandbox customer", async () => {
  await ownerPage.goto("/access-levels");
  await ownerPage.getByLabel("Name", { exact: true }).fill("Helpdesk");
  await ownerPage.getByLabel("Helpdesk Administrator", { exact: true }).check();
  await ownerPage.getByLabel("User Administrator", { exact: true }).check();
  await ownerPage.getByRole("button", { name: "Create access level" }).click();
  await expect(ownerPage.getByText("Helpdesk Administrator, User Administrator").first()).toBeVisible();

  await ownerPage.goto(sandboxCustomerUrl);
  await ownerPage.getByLabel("Helpdesk enabled on this customer").check();
  await expect(ownerPage.getByLabel("Helpdesk enabled on this customer")).toBeChecked();
});

test("the admin delegates it to the technician on the sandbox customer", async () => {
  await ownerPage.goto(sandboxCustomerUrl);
  await ownerPage.getByLabel("Member or team").selectOption({ label: "Tina Technician (Technician)" });
  await ownerPage.getByLabel("Max duration (minutes)").fill("120");
  await ownerPage.getByRole("checkbox", { name: "Helpdesk", exact: true }).check();
  await ownerPage.getByRole("button", { name: "Delegate", exact: true }).click();
  await expect(ownerPage.getByText("Tina Technician").first()).toBeVisible();
});

test("the technician sees exactly the delegated customer, and the other one is invisible", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "stint_session", value: technician.session.token, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/customers");
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Contoso (sandbox)");
  await expect(page.getByText("Hidden Industries")).toHaveCount(0);

  await page.goto(sandboxCustomerUrl);
  await expect(page.getByText("What you can request here")).toBeVisible();
  await expect(page.getByText("Helpdesk Administrator, User Administrator")).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/technician-customer.png", fullPage: true });

  const hidden = await page.goto(`/customers/${hiddenCustomerId}`);
  expect(hidden?.status()).toBe(404);
  const api = await page.request.get(`/api/customers/${hiddenCustomerId}/my-access`);
  expect(api.status()).toBe(404);
  await context.close();
});
