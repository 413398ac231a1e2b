import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { formatMoment, formatMomentUtc } from "@/lib/time/format-moment";
import { dateTimeInputValue, momentFromDateTimeInput } from "@/lib/time/zoned-input";
import { inviteMember, seedMspDirectly, contextFor, type TestMember, type TestMsp } from "@/test/factories";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * Times in the member's zone: the browser's by default (this browser says America/New_York), a zone chosen in
 * Your account from then on, always with UTC on hover; and a start typed into the request form means that zone.
 */
test.describe.configure({ mode: "serial" });
test.use({ timezoneId: "America/New_York" });

const BROWSER_ZONE = "America/New_York";
const CUSTOMER = "Tailspin Toys";
let msp: TestMsp;
let technician: TestMember;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

test.beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Time Zone MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Tia Technician" });
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "tap");
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});

async function signedIn(page: Page, member: TestMember, baseURL: string) {
  await page.context().addCookies([{ name: "stint_session", value: member.session.token, url: baseURL }]);
}

/** The first time of the sessions table (this session's sign-in) and the moment it stands for. */
async function sessionTime(page: Page) {
  const time = page.getByTestId("sessions-table").locator("time").first();
  const iso = (await time.getAttribute("datetime"))!;
  return { time, iso };
}

test("times show in the browser's zone, named, with UTC on hover; a zone chosen in Your account wins", async ({ page, baseURL }) => {
  await signedIn(page, technician, baseURL!);
  await visit(page, "/account");
  const { time, iso } = await sessionTime(page);
  // The first page renders in UTC until the browser has said its zone; then it renders again.
  await expect(time).toHaveText(formatMoment(iso, BROWSER_ZONE, "minute"));
  expect(formatMoment(iso, BROWSER_ZONE, "minute")).toMatch(/ GMT-[45]$/);
  await expect(time).toHaveAttribute("title", formatMomentUtc(iso));
  const choice = page.getByLabel("Time zone");
  await expect(choice).toHaveValue("");
  await expect(choice.locator("option").first()).toHaveText(`Browser default (now: ${BROWSER_ZONE})`);

  await choice.selectOption("Asia/Tokyo");
  await page.getByRole("button", { name: "Save time zone" }).click();
  await expect(page.getByTestId("time-zone-setting")).toContainText("Saved.");
  await expect(time).toHaveText(formatMoment(iso, "Asia/Tokyo", "minute"));
  // Kept: a fresh load shows the chosen zone at once, whatever the browser says.
  await visit(page, "/account");
  await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
  await expect((await sessionTime(page)).time).toHaveText(formatMoment(iso, "Asia/Tokyo", "minute"));
  await expect((await sessionTime(page)).time).toHaveAttribute("title", formatMomentUtc(iso));

  await page.getByLabel("Time zone").selectOption("");
  await page.getByRole("button", { name: "Save time zone" }).click();
  await expect(page.getByTestId("time-zone-setting")).toContainText("Saved.");
  await expect((await sessionTime(page)).time).toHaveText(formatMoment(iso, BROWSER_ZONE, "minute"));
});

test("a scheduled start typed into the request form means the viewer's zone", async ({ page, baseURL }) => {
  await signedIn(page, technician, baseURL!);
  await visit(page, "/access/request");
  // Tomorrow at 09:30 on New York's wall clock.
  const typed = `${dateTimeInputValue(new Date(Date.now() + 24 * 3_600_000), BROWSER_ZONE).slice(0, 10)}T09:30`;
  const intended = momentFromDateTimeInput(typed, BROWSER_ZONE)!;
  await page.getByLabel("Customer").selectOption({ label: `${CUSTOMER} (Sandbox — emulated tenant)` });
  await page.getByRole("checkbox", { name: /Helpdesk/ }).check();
  await page.getByLabel("Duration (minutes)").fill("30");
  await page.getByLabel(`Start (${BROWSER_ZONE}, optional)`).fill(typed);
  await page.getByLabel("Justification").fill("Ticket 7001: the maintenance window tomorrow morning");
  await page.getByRole("button", { name: "Request access" }).click();
  const card = page.getByTestId("live-grant");
  await expect(card).toContainText(`Starts at ${formatMoment(intended, BROWSER_ZONE)}.`);
  const [grant] = await sql`select start_at from grants where msp_id = ${msp.mspId} and member_id = ${technician.id} order by created_at desc limit 1`;
  expect((grant!.start_at as Date).toISOString()).toBe(intended.toISOString());
});

test("the audit filter's days are days in the viewer's zone, and so is the export", async ({ page, baseURL }) => {
  await signedIn(page, msp.owner, baseURL!);
  await visit(page, "/audit?from=2026-12-05&to=2026-12-06");
  await expect(page.getByLabel(`From (${BROWSER_ZONE})`)).toHaveValue("2026-12-05");
  const exported = new URL((await page.getByTestId("export-csv").getAttribute("href"))!, baseURL);
  // Midnight in New York in December is 05:00 UTC; the last day is included, up to the next midnight.
  expect(exported.searchParams.get("from")).toBe("2026-12-05T05:00:00.000Z");
  expect(exported.searchParams.get("to")).toBe("2026-12-07T05:00:00.000Z");
});
