import { expect, test, type Page } from "@playwright/test";
import { closeDb } from "@/db/client";
import { entraConnections } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { builtInRoles } from "@/lib/entra/role-catalog";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { visit } from "./support/visit";

/**
 * The request page with nothing to request: a new technician reads who may delegate (the MSP's owners and
 * admins, by name) and what to ask them for; once delegated, a customer without an enabled level names them again.
 */
test.describe.configure({ mode: "serial" });

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
let msp: TestMsp;
let technician: TestMember;
let page: Page;

async function connectedCustomer(name: string) {
  const customer = await createCustomer(contextFor(msp.owner), { name });
  await systemTxBypassingRls((tx) =>
    tx.insert(entraConnections).values({
      id: newId("connection"), mspId: msp.mspId, customerId: customer.id, cloud: "sandbox", status: "connected", tenantId: crypto.randomUUID(),
      tenantName: name, roleDefinitions: builtInRoles.map((r) => ({ templateId: r.templateId, displayName: r.displayName, isBuiltIn: true })),
    }),
  );
  return customer;
}

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Empty Request MSP", ownerName: "Olivia Owner" });
  await inviteMember(msp.owner, "admin", { displayName: "Adam Admin" });
  await inviteMember(msp.owner, "auditor", { displayName: "Audrey Auditor" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Tom Technician" });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: "stint_session", value: technician.session.token, url: baseURL! }]);
  page = await context.newPage();
});

test.afterAll(async () => {
  await closeDb();
});

test("a technician with nothing delegated reads who may delegate and what to ask for, instead of the form", async () => {
  await visit(page, "/access/request");
  const empty = page.getByTestId("nothing-to-request");
  await expect(empty).toContainText("Nothing to request yet");
  await expect(page.getByTestId("delegators").getByRole("listitem")).toHaveText(["Olivia Owner · Owner", "Adam Admin · Admin"]);
  await expect(empty).toContainText("What to ask for");
  await expect(page.getByTestId("request-form")).toHaveCount(0);
  await page.screenshot({ path: "docs/screenshots/request-nothing-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "docs/screenshots/request-nothing-mobile.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("on a customer where no delegated level is enabled, the form names whom to ask", async () => {
  const owner = contextFor(msp.owner);
  const enabledOn = await connectedCustomer("Northwind Traders");
  await connectedCustomer("Tailspin Toys");
  const level = await createAccessLevel(owner, { name: "User admin", roleTemplateIds: [USER_ADMINISTRATOR] });
  await setAccessLevelForCustomer(owner, enabledOn.id, level.id, { enabled: true });
  await createDelegation(owner, { memberId: technician.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 60 });

  await visit(page, "/access/request");
  await expect(page.getByTestId("nothing-to-request")).toHaveCount(0);
  await page.getByLabel("Customer").selectOption({ label: "Tailspin Toys" });
  await expect(page.getByTestId("no-level-offered")).toHaveText(
    "Nothing delegated to you is enabled on Tailspin Toys. Ask Olivia Owner (Owner) or Adam Admin (Admin) to delegate an access level on Tailspin Toys to you, or to enable one of yours there.",
  );
  await page.screenshot({ path: "docs/screenshots/request-no-level-desktop.png", fullPage: true });
  // The only level on offer is chosen already.
  await page.getByLabel("Customer").selectOption({ label: "Northwind Traders" });
  await expect(page.getByRole("checkbox", { name: /User admin/ })).toBeChecked();
});
