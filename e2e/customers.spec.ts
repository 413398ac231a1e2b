import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createCustomer } from "@/lib/services/customers/create";
import { createInvite } from "@/lib/services/invites/create";
import { contextFor, seedMspDirectly, type TestMsp } from "@/test/factories";
import { inspectSandboxTenant } from "./support/emulator";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { visit } from "./support/visit";

/**
 * The whole story on the sandbox: an admin connects the sandbox customer through the emulated Microsoft
 * sign-in and consent pages, defines an access level, enables it and delegates it to a technician; the
 * technician sees exactly that customer (another stays invisible), requests access, watches the account
 * being made, reveals its Temporary Access Pass after a passkey check, and ends it early; the tenant then
 * shows the roles and the pass gone, the sessions revoked and the account disabled.
 */
test.describe.configure({ mode: "serial" });

const SANDBOX_ADMIN = "megan.bowen@contoso-sandbox.onmicrosoft.com";
let msp: TestMsp;
let hiddenCustomerId: string;
let sandboxCustomerUrl: string;
let ownerPage: Page;
let techPage: Page;
let jitUpn: string;

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Sandbox MSP" });
  hiddenCustomerId = (await createCustomer(contextFor(msp.owner), { name: "Hidden Industries" })).id;
  const context = await browser.newContext();
  await context.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL! }]);
  ownerPage = await context.newPage();
  // The technician joins with a passkey in their own browser, so later step-ups are real ceremonies.
  const { link } = await createInvite(contextFor(msp.owner), { email: "tina@sandbox-msp.example", displayName: "Tina Technician", role: "technician" });
  const techContext = await browser.newContext();
  techPage = await techContext.newPage();
  await addVirtualAuthenticator(techContext, techPage);
  await visit(techPage, link);
  await techPage.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(techPage).toHaveURL(/\/overview$/);
});

test.afterAll(async () => {
  await closeDb();
});

test("the admin adds the sandbox customer and connects it through Microsoft's sign-in and consent pages", async () => {
  await visit(ownerPage, "/customers");
  await ownerPage.getByRole("button", { name: "Add sandbox customer" }).click();
  await expect(ownerPage).toHaveURL(/\/customers\/cus_/);
  await expect(ownerPage.getByText("Sandbox — emulated tenant").first()).toBeVisible();
  sandboxCustomerUrl = new URL(ownerPage.url()).pathname;

  await ownerPage.getByRole("button", { name: "Connect Entra ID" }).click();
  // In a browser that trusts no extra CA: the sandbox's pages come over http on loopback, with no certificate warning.
  expect(new URL(ownerPage.url()).protocol).toBe("http:");
  await ownerPage.getByRole("textbox", { name: "Email address" }).fill(SANDBOX_ADMIN);
  await ownerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(ownerPage.getByText("Stint (sandbox)").first()).toBeVisible();
  await ownerPage.getByRole("button", { name: "Accept" }).click();

  await expect(ownerPage).toHaveURL(/\/customers\/cus_[^?]+\?connected=1/);
  const card = ownerPage.getByTestId("connection-card");
  await expect(card).toContainText("Connected");
  await expect(card).toContainText("contoso-sandbox.onmicrosoft.com");
  await expect(card).toContainText("Healthy");
  // The sandbox allows passes, so its grants pass Microsoft's MFA: the page says so, with the policy read.
  await expect(ownerPage.getByTestId("sign-in-verdict")).toContainText("Grants sign in with a Temporary Access Pass");
  await expect(ownerPage.getByTestId("tap-policy")).toContainText("All users");
  await expect(ownerPage.getByLabel("Sign-in method")).toHaveValue("tap");
  await ownerPage.screenshot({ path: "docs/screenshots/customer-connected.png", fullPage: true });
  // One sandbox is enough: the button to add one is gone.
  await visit(ownerPage, "/customers");
  await expect(ownerPage.getByTestId("customers-table")).toContainText("Contoso (sandbox)");
  await expect(ownerPage.getByRole("button", { name: "Add sandbox customer" })).toHaveCount(0);
});

test("the admin sets the customer's time zone; an unknown one is refused naming the field", async () => {
  await visit(ownerPage, sandboxCustomerUrl);
  const zone = ownerPage.getByLabel("Time zone");
  await expect(zone).toHaveValue("UTC");
  await zone.selectOption("Europe/Berlin");
  await ownerPage.getByRole("button", { name: "Save settings" }).click();
  await expect(ownerPage.getByTestId("settings-form")).toContainText("Saved.");
  await visit(ownerPage, sandboxCustomerUrl);
  await expect(ownerPage.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await ownerPage.screenshot({ path: "docs/screenshots/customer-settings-desktop.png", fullPage: true });
  await ownerPage.setViewportSize({ width: 390, height: 844 });
  await ownerPage.screenshot({ path: "docs/screenshots/customer-settings-mobile.png", fullPage: true });
  await ownerPage.setViewportSize({ width: 1280, height: 800 });

  // The select offers known zones only; the API refuses any other with a message for the field.
  const customerId = sandboxCustomerUrl.split("/").pop()!;
  const refused = await ownerPage.request.put(`/api/customers/${customerId}/settings`, {
    headers: { origin: new URL(ownerPage.url()).origin },
    data: { upnDomain: null, namingTemplate: "stint-{technician}-{grant}", defaultDurationMinutes: 60, maxDurationMinutes: 240, usageLocation: "US", expiryActions: ["remove_roles", "remove_tap", "revoke_sessions", "disable"], consentText: null, timeZone: "Mars/Olympus_Mons" },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error).toMatchObject({ code: "validation_failed", field: "timeZone", message: expect.stringContaining("IANA name") });
});

test("the admin defines an access level and enables it on the sandbox customer", async () => {
  await visit(ownerPage, "/access-levels");
  await ownerPage.getByLabel("Name", { exact: true }).fill("Helpdesk");
  await ownerPage.getByLabel("Helpdesk Administrator", { exact: true }).check();
  await ownerPage.getByLabel("User Administrator", { exact: true }).check();
  await ownerPage.getByRole("button", { name: "Create access level" }).click();
  await expect(ownerPage.getByText("Helpdesk Administrator, User Administrator").first()).toBeVisible();

  await visit(ownerPage, sandboxCustomerUrl);
  const toggle = ownerPage.getByLabel("Helpdesk enabled on this customer");
  await toggle.check();
  await expect(toggle).toBeChecked();
  // The box stays disabled until the server has saved it; leaving earlier would drop the save.
  await expect(toggle).toBeEnabled();
});

test("the admin delegates it to the technician on the sandbox customer", async () => {
  await visit(ownerPage, sandboxCustomerUrl);
  await ownerPage.getByLabel("Member or team").selectOption({ label: "Tina Technician (Technician)" });
  await ownerPage.getByLabel("Max duration (minutes)").fill("120");
  await ownerPage.getByRole("checkbox", { name: "Helpdesk", exact: true }).check();
  await ownerPage.getByRole("button", { name: "Delegate", exact: true }).click();
  await expect(ownerPage.getByTestId("delegations-table")).toContainText("Tina Technician");
});

test("the technician sees exactly the delegated customer, and the other one is invisible", async () => {
  const page = techPage;
  await visit(page, "/customers");
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Contoso (sandbox)");
  await expect(page.getByText("Hidden Industries")).toHaveCount(0);

  await visit(page, sandboxCustomerUrl);
  await expect(page.getByText("What you can request here")).toBeVisible();
  await expect(page.getByText("Helpdesk Administrator, User Administrator")).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/technician-customer.png", fullPage: true });

  const hidden = await visit(page, `/customers/${hiddenCustomerId}`);
  expect(hidden?.status()).toBe(404);
  const api = await page.request.get(`/api/v1/customers/${hiddenCustomerId}/my-access`);
  expect(api.status()).toBe(404);
});

test("the technician requests access and watches the account being made", async () => {
  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: "Contoso (sandbox) (Sandbox — emulated tenant)" });
  // The only level delegated here is chosen already.
  await expect(techPage.getByRole("checkbox", { name: /Helpdesk/ })).toBeChecked();
  await techPage.getByLabel("Duration (minutes)").fill("60");
  await techPage.getByLabel("Justification").fill("Ticket 1234: reset the MFA methods of a user");
  await techPage.getByRole("button", { name: "Request access" }).click();
  await expect(techPage).toHaveURL(/\/access/);
  const card = techPage.getByTestId("live-grant");
  await expect(card).toContainText("Active", { timeout: 30_000 });
  jitUpn = (await card.getByText(/@contoso-sandbox\.onmicrosoft\.com/).first().textContent())!.trim();
  expect(jitUpn).toMatch(/^stint-tina-[a-z0-9]{13}@contoso-sandbox\.onmicrosoft\.com$/);
  const tenant = await inspectSandboxTenant();
  const user = tenant.users.find((u) => u.userPrincipalName === jitUpn)!;
  expect(user.accountEnabled).toBe(true);
  expect(tenant.roleAssignments.filter((a) => a.principalId === user.id).map((a) => a.roleDisplayName).sort()).toEqual(["Helpdesk Administrator", "User Administrator"]);
  expect(user.temporaryAccessPass).toMatchObject({ isUsable: true, isUsableOnce: false });
  await expect(card.getByTestId("pass-validity")).toContainText("pass valid until");
});

test("the technician reveals the Temporary Access Pass after a passkey check", async ({ browserName }) => {
  expect(browserName).toBe("chromium");
  // The sign-in counted as a passkey check; age it so the reveal must ask for a fresh one.
  const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });
  await sql`update sessions set stepped_up_at = now() - interval '10 minutes' where ended_at is null`;
  await sql.end();
  await techPage.getByRole("button", { name: "Reveal credential" }).click();
  const credential = techPage.getByTestId("credential");
  await expect(credential).toBeVisible();
  await expect(credential.getByRole("textbox", { name: "User principal name" })).toHaveValue(jitUpn);
  const pass = (await inspectSandboxTenant()).users.find((u) => u.userPrincipalName === jitUpn)!.temporaryAccessPass!.temporaryAccessPass;
  await expect(credential.getByRole("textbox", { name: "Temporary Access Pass" })).toHaveValue(pass);
  await expect(credential.getByRole("textbox", { name: "Password" })).toHaveCount(0);
  await expect(credential.getByTestId("tap-note")).toContainText("Enter Temporary Access Pass");
  await techPage.screenshot({ path: "docs/screenshots/my-access.png", fullPage: true });
});

test("the technician ends it early: roles and pass gone, sessions revoked, account disabled in the tenant", async () => {
  await techPage.getByRole("button", { name: "End now" }).click();
  const confirm = techPage.getByRole("dialog", { name: "End your access to Contoso (sandbox) now?" });
  await expect(confirm).toContainText("loses its roles and is disabled");
  await confirm.getByRole("button", { name: "End access" }).click();
  await expect(techPage.getByTestId("grant-history")).toContainText(jitUpn, { timeout: 30_000 });
  const tenant = await inspectSandboxTenant();
  const user = tenant.users.find((u) => u.userPrincipalName === jitUpn)!;
  expect(user.accountEnabled).toBe(false);
  expect(tenant.roleAssignments.filter((a) => a.principalId === user.id)).toEqual([]);
  expect(tenant.revocations.some((r) => r.userId === user.id)).toBe(true);
  expect(user.temporaryAccessPass).toBeNull();
});
