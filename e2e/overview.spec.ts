import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { randomUUID } from "node:crypto";
import { closeDb } from "@/db/client";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createCustomer } from "@/lib/services/customers/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { PHONE, pageAs } from "./support/page-as";
import { visit } from "./support/visit";

/**
 * The overview answers "who has admin where, right now?": for the owner the live grants, what needs action
 * and the exposure of the last 30 days, whose numbers match the seeded grants' usable windows; the auditor
 * sees the same; a technician sees their access and what they may request. Screenshots at 1280 and 390 px.
 */
test.describe.configure({ mode: "serial" });

const shots = (name: string) => `docs/screenshots/${name}.png`;
const HOUR = 3600_000;

let msp: TestMsp;
let technician: TestMember;
let auditor: TestMember;
let activeGrantId: string;
let failedGrantId: string;
let sandboxCustomer: string;
const owner = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });

test.beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Overview MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Rita Technician" });
  const sam = await inviteMember(msp.owner, "technician", { displayName: "Sam Second" });
  auditor = await inviteMember(msp.owner, "auditor", { displayName: "Ada Auditor" });
  const ownerCtx = contextFor(msp.owner);
  const level = await createAccessLevel(ownerCtx, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  sandboxCustomer = "Fabrikam Logistics";
  await jitReadySandboxCustomer(msp, technician.id, level.id, sandboxCustomer, "password");
  const fabrikam = (await owner`select id from customers where msp_id = ${msp.mspId} and name = ${sandboxCustomer}`)[0]!.id as string;
  const contoso = (await createCustomer(ownerCtx, { name: "Contoso Pharma" })).id;
  const now = Date.now();
  const day = new Date(now - 2 * 24 * HOUR);
  // Contoso: 2 h by Rita and 1.5 h by Sam; Fabrikam: Rita's live grant, usable for 30 minutes so far.
  await insertGrantWithExposure({ mspId: msp.mspId, customerId: contoso, memberId: technician.id, state: "ended", usableFrom: day, usableTo: new Date(day.getTime() + 2 * HOUR), endReason: "expired" });
  await insertGrantWithExposure({ mspId: msp.mspId, customerId: contoso, memberId: sam.id, state: "revoked", usableFrom: day, usableTo: new Date(day.getTime() + 1.5 * HOUR), endReason: "revoked" });
  activeGrantId = await insertGrantWithExposure({
    mspId: msp.mspId, customerId: fabrikam, memberId: technician.id, state: "active", accessLevelIds: [level.id],
    usableFrom: new Date(now - 0.5 * HOUR), endsAt: new Date(now + 2 * HOUR),
  });
  failedGrantId = await insertGrantWithExposure({ mspId: msp.mspId, customerId: contoso, memberId: sam.id, state: "failed", usableFrom: null });
  await owner`update grants set failure_reason = 'The tenant refused to create the account' where id = ${failedGrantId}`;
  await owner`insert into orphan_accounts (id, msp_id, customer_id, entra_user_id, user_principal_name) values (${newId("orphan")}, ${msp.mspId}, ${contoso}, ${randomUUID()}, 'stint-lost@contoso.example')`;
});

test.afterAll(async () => {
  await owner.end();
  await closeDb();
});


/** The rows of a chart's table fallback, as [label, number]. */
async function chartTable(page: Page, testId: string): Promise<[string, number][]> {
  const chart = page.getByTestId(testId);
  await chart.getByRole("button", { name: /Show as table/ }).click();
  const rows = await chart.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  return rows.map(([label, value]) => [label!, Number(value)]);
}

test("the owner sees live grants, what needs action and exposure that matches the grants", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, "/overview");
  // Everything is set up: no checklist.
  await expect(page.getByTestId("first-run-checklist")).toHaveCount(0);
  const live = page.getByTestId("overview-live-grants");
  await expect(live.getByTestId(`live-grant-${activeGrantId}`)).toContainText(sandboxCustomer);
  await expect(live.getByTestId(`live-grant-${activeGrantId}`)).toContainText("Rita Technician");
  await expect(live.getByTestId(`live-grant-${activeGrantId}`)).toContainText("Helpdesk");
  await expect(live.getByTestId(`live-grant-${activeGrantId}`)).toContainText(/1:\d\d:\d\d/);
  const attention = page.getByTestId("overview-attention");
  await expect(attention.getByRole("link", { name: "Failed: Sam Second on Contoso Pharma" })).toHaveAttribute("href", `/grants/${failedGrantId}`);
  await expect(attention).toContainText("The tenant refused to create the account");
  await expect(attention.getByRole("link", { name: /Orphaned account: stint-lost@contoso.example/ })).toHaveAttribute("href", "/grants#orphan-accounts");
  // The charts draw in the browser; their numbers are the same as the tables'.
  await expect(page.getByTestId("exposure-by-customer").locator("svg.recharts-surface")).toBeVisible();
  await page.screenshot({ path: shots("overview-owner-desktop"), fullPage: true });

  const byCustomer = await chartTable(page, "exposure-by-customer");
  expect(byCustomer[0]).toEqual(["Contoso Pharma", 3.5]);
  expect(byCustomer[1]![0]).toBe(sandboxCustomer);
  expect(byCustomer[1]![1]).toBeGreaterThanOrEqual(0.5);
  expect(byCustomer[1]![1]).toBeLessThan(0.6);
  const byTechnician = await chartTable(page, "exposure-by-technician");
  expect(byTechnician.map(([name]) => name)).toEqual(["Rita Technician", "Sam Second"]);
  expect(byTechnician[1]![1]).toBe(1.5);
  const perDay = await chartTable(page, "exposure-per-day");
  expect(perDay).toHaveLength(31);
  expect(perDay.reduce((sum, [, n]) => sum + n, 0)).toBe(3);
});

test("an auditor sees the same overview, without acting", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, auditor);
  await visit(page, "/overview");
  await expect(page.getByTestId(`live-grant-${activeGrantId}`)).toBeVisible();
  await expect(page.getByTestId("overview-attention")).toBeVisible();
  await expect(page.getByTestId("exposure-total")).toHaveText(/^4(\.\d+)? h$/);
  await expect(page.getByRole("link", { name: /Request access/ })).toHaveCount(0);
  await expect(page.getByTestId("overview-requestable")).toHaveCount(0);
});

test("a technician sees their access and what they may request", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, technician);
  await visit(page, "/overview");
  await expect(page.getByTestId("overview-exposure")).toHaveCount(0);
  await expect(page.getByTestId("my-access-summary")).toContainText(sandboxCustomer);
  const requestable = page.getByTestId("overview-requestable");
  await expect(requestable.getByRole("link", { name: `${sandboxCustomer} (sandbox)` })).toHaveAttribute("href", /\/access\/request\?customerId=cus_/);
  await expect(requestable).toContainText("Helpdesk (up to 2 h 00 min)");
  await page.screenshot({ path: shots("overview-technician-desktop"), fullPage: true });
});

test("at 390 px the overview fits the screen", async ({ browser, baseURL }) => {
  for (const [member, name] of [[msp.owner, "overview-owner-mobile"], [technician, "overview-technician-mobile"]] as const) {
    const page = await pageAs(browser, baseURL!, member, PHONE);
    await visit(page, "/overview");
    await expect(page.locator("main h1")).toBeVisible();
    if (member === msp.owner) await expect(page.getByTestId("exposure-by-customer").locator("svg.recharts-surface")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: shots(name), fullPage: true });
  }
});

test("a new MSP's checklist ticks itself from what exists, links to each place, and goes when all is done", async ({ browser, baseURL }) => {
  const fresh = await seedMspDirectly({ mspName: "Fresh MSP" });
  const ctx = contextFor(fresh.owner);
  const page = await pageAs(browser, baseURL!, fresh.owner);
  const checklist = page.getByTestId("first-run-checklist");
  const doneSteps = async () => checklist.locator("li[data-done=true]").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-testid")));
  await visit(page, "/overview");
  await expect(checklist).toContainText("0 of 7 done");
  await page.screenshot({ path: shots("first-run-checklist-desktop"), fullPage: true });
  await checklist.getByRole("link", { name: /Add a customer/ }).click();
  await expect(page).toHaveURL(/\/customers$/);

  const level = await createAccessLevel(ctx, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  const tech = await inviteMember(fresh.owner, "technician", { displayName: "Fresh Technician" });
  await visit(page, "/overview");
  expect(await doneSteps()).toEqual(["first-run-accessLevel", "first-run-invite"]);
  await expect(checklist).toContainText("2 of 7 done");

  await jitReadySandboxCustomer(fresh, tech.id, level.id, "Tailspin Toys", "password");
  await visit(page, "/overview");
  expect(await doneSteps()).toEqual(["first-run-customer", "first-run-connection", "first-run-accessLevel", "first-run-enabled", "first-run-delegation", "first-run-invite"]);
  await expect(checklist.getByRole("link", { name: /Make the first request \(to do\)/ })).toHaveAttribute("href", "/access/request");
  const phone = await pageAs(browser, baseURL!, fresh.owner, PHONE);
  await visit(phone, "/overview");
  await expect(phone.getByTestId("first-run-checklist")).toContainText("6 of 7 done");
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phone.screenshot({ path: shots("first-run-checklist-mobile"), fullPage: true });

  const customerId = (await owner`select id from customers where msp_id = ${fresh.mspId}`)[0]!.id as string;
  await insertGrantWithExposure({ mspId: fresh.mspId, customerId, memberId: tech.id, state: "failed", usableFrom: null });
  await visit(page, "/overview");
  await expect(page.locator("main h1")).toBeVisible();
  await expect(checklist).toHaveCount(0);
});
