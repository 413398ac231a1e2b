import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { navItemsFor } from "@/app/(console)/nav-items";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { requestGrant } from "@/lib/services/grants/request";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * Every console page, checked by axe-core against WCAG 2.1 A and AA in Chromium: no serious or critical
 * violation. The owner opens every page there is, in the light and the dark colour scheme; a technician adds the
 * request form and the pages as a technician sees them. The pages come from the navigation itself, so a page
 * added to it is checked without touching this file.
 */
const CUSTOMER = "Tailspin Toys";
let msp: TestMsp;
let technician: TestMember;
let customerId: string;
let grantId: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

test.beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Accessible MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Tess Technician" });
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "tap");
  customerId = (await sql`select id from customers where name = ${CUSTOMER} and msp_id = ${msp.mspId}`)[0]!.id as string;
  grantId = (await requestGrant(contextFor(technician), { customerId, accessLevelIds: [level.id], durationMinutes: 30, justification: "Ticket 4711: mailbox permissions" })).id;
  await expect.poll(async () => (await sql`select state from grants where id = ${grantId}`)[0]!.state, { timeout: 30_000 }).toBe("active");
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});

async function pageFor(browser: Browser, baseURL: string, member: TestMember, colorScheme: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  await context.addCookies([{ name: "stint_session", value: member.session.token, url: baseURL }]);
  return context.newPage();
}

/** The pages of the navigation, and the detail pages behind them that the role may open. */
function pagesOf(role: MemberRole): string[] {
  const details = [
    `/customers/${customerId}`, `/grants/${grantId}`,
    ...(role === "technician" ? ["/access/request"] : [`/customers/${customerId}/statement`]),
  ];
  return [...navItemsFor(role).map((i) => i.href), ...details, "/extension/connect"];
}

/** The serious and critical violations on a page, each with the elements it names and why. */
async function seriousViolations(page: Page, path: string): Promise<string[]> {
  const response = await visit(page, path);
  expect(response?.status(), path).toBe(200);
  await expect(page.locator("main h1").first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${path}: ${v.id} (${v.impact}) at ${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ")}`));
}

const runs = [
  { who: "owner", colorScheme: "light" },
  { who: "owner", colorScheme: "dark" },
  { who: "technician", colorScheme: "light" },
] as const;

for (const { who, colorScheme } of runs) {
  test(`every page for ${who === "owner" ? "an owner" : `a ${who}`} passes axe-core (${colorScheme})`, async ({ browser, baseURL }) => {
    // A dozen pages, each analysed in full.
    test.setTimeout(300_000);
    const member = who === "owner" ? msp.owner : technician;
    const page = await pageFor(browser, baseURL!, member, colorScheme);
    const found: string[] = [];
    for (const path of pagesOf(who)) found.push(...(await seriousViolations(page, path)));
    expect(found, found.join("\n")).toEqual([]);
    await page.context().close();
  });
}

test("the sign-in page passes axe-core and carries Stint's mark as its favicon", async ({ page }) => {
  expect(await seriousViolations(page, "/sign-in")).toEqual([]);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /^data:image\/svg\+xml,/);
});
