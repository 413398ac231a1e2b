import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { grantSteps } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { PHONE, pageAs } from "./support/page-as";
import { visit } from "./support/visit";

/**
 * A customer's monthly statement in the browser: opened from the customer's page, the month chosen with the
 * picker, the totals and the unproven removal at the top, printed without the console around it, and the
 * same statement downloaded as a PDF. Screenshots at 1280 and 390 px.
 */
test.describe.configure({ mode: "serial" });

const CUSTOMER = "Adventure Works";
const at = (s: string) => new Date(s);

let msp: TestMsp;
let technician: TestMember;
let customerId: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });

test.beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Statement MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Rita Technician" });
  const sam = await inviteMember(msp.owner, "technician", { displayName: "Sam Engineer" });
  customerId = (await createCustomer(contextFor(msp.owner), { name: CUSTOMER })).id;
  await sql`update customers set time_zone = 'Europe/Berlin' where id = ${customerId}`;
  const base = { mspId: msp.mspId, customerId, roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] };
  const ended = await insertGrantWithExposure({
    ...base, memberId: technician.id, state: "ended", usableFrom: at("2026-11-03T08:00:00Z"), usableTo: at("2026-11-03T09:15:00Z"),
    endReason: "expired", justification: "Ticket 8080: mailbox permissions for the new CFO", ticketRef: "T-8080",
  });
  const irrevocable = await insertGrantWithExposure({
    ...base, memberId: sam.id, state: "irrevocable", usableFrom: at("2026-11-30T21:00:00Z"), justification: "Ticket 8123: restore a deleted Teams channel", ticketRef: "T-8123",
  });
  const step = (grantId: string, action: string, status: "succeeded" | "failed", finished: string, detail: string) => ({
    id: newId("grantStep"), mspId: msp.mspId, grantId, step: `expiry:${action}`, status, startedAt: at(finished), finishedAt: at(finished), detail,
  });
  await systemTxBypassingRls((tx) =>
    tx.insert(grantSteps).values([
      step(ended, "remove_roles", "succeeded", "2026-11-03T09:14:30Z", "No role assignments left"),
      step(ended, "disable", "succeeded", "2026-11-03T09:15:00Z", "Account disabled"),
      step(irrevocable, "remove_roles", "failed", "2026-11-30T22:00:00Z", "Graph answered 503 Service Unavailable"),
    ]),
  );
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});


test("an owner opens a customer's monthly statement, picks the month, prints it and downloads the PDF", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, `/customers/${customerId}`);
  await page.getByTestId("customer-statement").click();
  await expect(page).toHaveURL(new RegExp(`/customers/${customerId}/statement$`));
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });

  await page.getByLabel("Month", { exact: true }).fill("2026-11");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/month=2026-11/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin access statement: November 2026");
  await expect(page.getByTestId("statement-grants")).toHaveText("2");
  await expect(page.getByTestId("statement-technicians")).toHaveText("2");
  // 75 minutes, and 2 hours of the second grant until the end of November in Berlin (23:00 UTC).
  await expect(page.getByTestId("statement-hours")).toHaveText("3.25");
  await expect(page.getByTestId("statement-unproven-list")).toContainText("Sam Engineer");
  await expect(page.getByText("Ticket 8080: mailbox permissions for the new CFO")).toBeVisible();
  await expect(page.getByText("Graph answered 503 Service Unavailable")).toBeVisible();
  await expect(page.getByTestId("statement-chain-head")).toContainText(/seq \d+, hash [0-9a-f]{64}/);
  await page.screenshot({ path: "docs/screenshots/statement-desktop.png", fullPage: true });

  await page.getByRole("link", { name: "Previous month" }).click();
  await expect(page).toHaveURL(/month=2026-10/);
  await expect(page.getByTestId("statement-grants")).toHaveText("0");
  await page.goBack();
  await expect(page.getByTestId("statement-grants")).toHaveText("2");

  // On paper only the statement is left: no menu, no month picker, no buttons.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation")).toBeHidden();
  await expect(page.getByLabel("Month", { exact: true })).toBeHidden();
  await expect(page.getByTestId("statement-pdf")).toBeHidden();
  await expect(page.getByTestId("statement-hours")).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("statement-pdf").click()]);
  expect(file.suggestedFilename()).toBe(`stint-statement-${customerId}-2026-11.pdf`);
  expect((await readFile((await file.path())!)).subarray(0, 5).toString()).toBe("%PDF-");

  const phone = await pageAs(browser, baseURL!, msp.owner, PHONE);
  await visit(phone, `/customers/${customerId}/statement?month=2026-11`);
  await expect(phone.getByTestId("statement-unproven-list")).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phone.screenshot({ path: "docs/screenshots/statement-mobile.png", fullPage: true });
});

test("a technician has no statement to open", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, technician);
  expect((await visit(page, `/customers/${customerId}/statement?month=2026-11`))?.status()).toBe(404);
});
