import { expect, test, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { closeDb } from "@/db/client";
import { customers, entraConnections } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMsp } from "@/test/factories";
import { visit } from "./support/visit";

/**
 * The Customers and Members pages search on the server: the text lands in ?q=, so the filtered list can be
 * bookmarked and shared, and % or _ in it mean themselves.
 */
test.describe.configure({ mode: "serial" });

let msp: TestMsp;
let page: Page;

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Search MSP" });
  const owner = contextFor(msp.owner);
  await createCustomer(owner, { name: "Northwind Traders" });
  await createCustomer(owner, { name: "Tailspin 100% Toys" });
  const fabrikam = await createCustomer(owner, { name: "Fabrikam" });
  await systemTxBypassingRls(async (tx) => {
    await tx.insert(entraConnections).values({
      id: newId("connection"), mspId: msp.mspId, customerId: fabrikam.id, cloud: "sandbox", status: "connected",
      tenantId: crypto.randomUUID(), tenantName: "Fabrikam Holdings", verifiedDomains: ["fabrikam.example"], defaultDomain: "fabrikam.example",
    });
    await tx.update(customers).set({ upnDomain: "fabrikam.example" }).where(eq(customers.id, fabrikam.id));
  });
  await inviteMember(msp.owner, "technician", { displayName: "Ada Lovelace", email: "ada@search-msp.example" });
  await inviteMember(msp.owner, "auditor", { displayName: "Grace Hopper", email: "grace_h@search-msp.example" });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL! }]);
  page = await context.newPage();
});

test.afterAll(async () => {
  await closeDb();
});

test("the owner finds a customer by its UPN domain, and the search is in the URL", async () => {
  await visit(page, "/customers");
  const table = page.getByTestId("customers-table");
  await expect(table).toContainText("Northwind Traders");
  await page.getByRole("searchbox", { name: "Search customers" }).fill("fabrikam.example");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/customers\?q=fabrikam\.example$/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Fabrikam Holdings");
  await page.screenshot({ path: "docs/screenshots/customers-search-desktop.png", fullPage: true });

  // The link works on its own, and a % means a percent sign.
  await visit(page, "/customers?q=0%25");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Tailspin 100% Toys");
  await visit(page, "/customers?q=nothing-like-this");
  await expect(table).toContainText("No customer matches “nothing-like-this”.");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "docs/screenshots/customers-search-mobile.png", fullPage: true });
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(table).toContainText("Northwind Traders");
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("the owner finds a member by e-mail, an underscore taken literally", async () => {
  await visit(page, "/members");
  const table = page.getByTestId("members-table");
  await expect(table).toContainText("Ada Lovelace");
  await page.getByRole("searchbox", { name: "Search members" }).fill("e_h@");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/members\?q=e_h%40$/);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Grace Hopper");
  await page.screenshot({ path: "docs/screenshots/members-search-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await visit(page, "/members?q=lovelace");
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("Ada Lovelace");
  await page.screenshot({ path: "docs/screenshots/members-search-mobile.png", fullPage: true });
});
