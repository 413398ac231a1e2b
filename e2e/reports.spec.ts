import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createCustomer } from "@/lib/services/customers/create";
import { extendGrant } from "@/lib/services/grants/extend";
import { requestGrant } from "@/lib/services/grants/request";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { DESKTOP, PHONE, pageAs } from "./support/page-as";
import { visit } from "./support/visit";

/**
 * Reports leave the console as files a person keeps: the Grants page's rows as CSV with its filters, and one
 * grant's evidence as JSON (its timeline with Graph's read-backs, its audit events in the hash chain). Both
 * are downloaded through the buttons and parsed. Revoking someone's grant asks why in a dialog, and the
 * technician reads the answer on the grant. Screenshots at 1280 and 390 px.
 */
test.describe.configure({ mode: "serial" });

const shots = (name: string) => `docs/screenshots/${name}.png`;
const CUSTOMER = "Wingtip Toys";

let msp: TestMsp;
let technician: TestMember;
let liveGrantId: string;
let contosoGrants: string[];
let contoso: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });

test.beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Reports MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Rita Technician" });
  const owner = contextFor(msp.owner);
  const level = await createAccessLevel(owner, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "password");
  const wingtip = (await sql`select id from customers where msp_id = ${msp.mspId} and name = ${CUSTOMER}`)[0]!.id as string;
  liveGrantId = (await requestGrant(contextFor(technician), { customerId: wingtip, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 8080: mailbox permissions" })).id;
  await expect.poll(async () => (await sql`select state from grants where id = ${liveGrantId}`)[0]!.state, { timeout: 30_000 }).toBe("active");
  contoso = (await createCustomer(owner, { name: "Contoso Pharma" })).id;
  const day = new Date(Date.now() - 3 * 24 * 3600_000);
  contosoGrants = [
    await insertGrantWithExposure({ mspId: msp.mspId, customerId: contoso, memberId: technician.id, state: "ended", usableFrom: day, usableTo: new Date(day.getTime() + 40 * 60_000), endReason: "expired", ticketRef: "T-1" }),
    await insertGrantWithExposure({ mspId: msp.mspId, customerId: contoso, memberId: technician.id, state: "failed", usableFrom: null, ticketRef: "T-2" }),
  ];
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});


async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, "utf8") };
}

test("the Grants page downloads the rows its filters select as CSV", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, "/grants");
  await page.screenshot({ path: shots("grants-export-desktop"), fullPage: true });
  const live = await download(page, "grants-export");
  expect(live.name).toMatch(/^stint-grants-live-\d{4}-\d\d-\d\d\.csv$/);
  expect((parse(live.text, { columns: true }) as Record<string, string>[]).map((r) => [r.grant_id, r.customer, r.technician, r.justification])).toEqual([
    [liveGrantId, CUSTOMER, "Rita Technician", "Ticket 8080: mailbox permissions"],
  ]);

  await visit(page, "/grants?scope=history");
  await page.getByLabel("Customer").selectOption({ label: "Contoso Pharma" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`customerId=${contoso}`));
  const history = parse((await download(page, "grants-export")).text, { columns: true }) as Record<string, string>[];
  expect(history.map((r) => r.grant_id).sort()).toEqual([...contosoGrants].sort());
  expect(history.find((r) => r.state === "ended")).toMatchObject({ customer: "Contoso Pharma", ticket: "T-1", planned_minutes: "60", actual_minutes: "40", end_reason: "expired" });

  await page.getByLabel("State").selectOption("failed");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/state=failed/);
  expect((parse((await download(page, "grants-export")).text, { columns: true }) as Record<string, string>[]).map((r) => r.ticket)).toEqual(["T-2"]);

  const phone = await pageAs(browser, baseURL!, msp.owner, PHONE);
  await visit(phone, "/grants");
  await expect(phone.getByTestId("grants-export")).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phone.screenshot({ path: shots("grants-export-mobile"), fullPage: true });
});

test("a grant's page downloads its evidence: timeline with read-backs and audit events in the chain", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, `/grants/${liveGrantId}`);
  await page.screenshot({ path: shots("grant-evidence-desktop"), fullPage: true });
  const file = await download(page, "grant-evidence");
  expect(file.name).toBe(`stint-evidence-${liveGrantId}.json`);
  const evidence = JSON.parse(file.text) as {
    grant: { id: string; state: string; customer: { name: string } };
    timeline: { step: string; status: string; detail: string | null }[];
    audit: { events: { seq: number; action: string; hash: string; prevHash: string }[]; chainHead: { seq: number } };
  };
  expect(evidence.grant).toMatchObject({ id: liveGrantId, state: "active", customer: { name: CUSTOMER } });
  expect(evidence.timeline.length).toBeGreaterThan(2);
  expect(evidence.timeline.every((s) => s.status === "succeeded" && s.detail)).toBe(true);
  const rows = await sql`select seq, action, hash from audit_events where target_id = ${liveGrantId} and action <> 'grant.evidence_exported' order by seq`;
  expect(evidence.audit.events.map((e) => [e.seq, e.action, e.hash])).toEqual(rows.map((r) => [Number(r.seq), r.action, r.hash]));
  expect(JSON.stringify(evidence)).not.toMatch(/envelope/i);

  // The technician sees the grant's timeline, not the evidence of the audit log.
  const tech = await pageAs(browser, baseURL!, technician, PHONE);
  await visit(tech, `/grants/${liveGrantId}`);
  await expect(tech.getByTestId("grant-steps")).toBeVisible();
  await expect(tech.getByTestId("grant-evidence")).toHaveCount(0);
  const phone = await pageAs(browser, baseURL!, msp.owner, PHONE);
  await visit(phone, `/grants/${liveGrantId}`);
  await expect(phone.getByTestId("grant-evidence")).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await phone.screenshot({ path: shots("grant-evidence-mobile"), fullPage: true });
});

test("revoking someone's grant asks why, and the technician reads it on the grant", async ({ browser, baseURL }) => {
  const phone = await pageAs(browser, baseURL!, msp.owner, PHONE);
  await visit(phone, "/grants");
  await phone.getByTestId(`grant-row-${liveGrantId}`).getByRole("button", { name: "Revoke" }).click();
  const phoneDialog = phone.getByRole("dialog", { name: `Revoke Rita Technician's access to ${CUSTOMER}?` });
  await expect(phoneDialog).toBeVisible();
  await phone.screenshot({ path: shots("revoke-dialog-mobile") });
  // Cancel leaves the grant as it was.
  await phoneDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(phoneDialog).toBeHidden();
  expect((await sql`select state from grants where id = ${liveGrantId}`)[0]!.state).toBe("active");

  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, "/grants");
  await page.getByTestId(`grant-row-${liveGrantId}`).getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByLabel("Reason")).toBeFocused();
  // Escape closes it, as any dialog.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByTestId(`grant-row-${liveGrantId}`).getByRole("button", { name: "Revoke" }).click();
  const reason = "Ticket 8080 is closed; mailbox work finished by the customer";
  await dialog.getByLabel("Reason").fill(reason);
  await page.screenshot({ path: shots("revoke-dialog-desktop") });
  await dialog.getByRole("button", { name: "Revoke access" }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await sql`select state from grants where id = ${liveGrantId}`)[0]!.state, { timeout: 30_000 }).toBe("revoked");
  const [grant] = await sql`select revoke_reason from grants where id = ${liveGrantId}`;
  expect(grant!.revoke_reason).toBe(reason);
  const [event] = await sql`select reason from audit_events where target_id = ${liveGrantId} and action = 'grant.expiring'`;
  expect(event!.reason).toBe(reason);

  const tech = await pageAs(browser, baseURL!, technician);
  await visit(tech, `/grants/${liveGrantId}`);
  await expect(tech.getByTestId("revoke-reason")).toHaveText(`“${reason}”`);
  await expect(tech.getByTestId("grant-steps")).toContainText(`Revoked by an admin`);
  await expect(tech.getByTestId("grant-steps")).toContainText(reason);
  await tech.screenshot({ path: shots("grant-revoked-reason-desktop"), fullPage: true });
});

test("the kill switch checks the reason first, then says what ends where; the technician reads why on the grant", async ({ browser, baseURL }) => {
  const wingtip = (await sql`select id from customers where msp_id = ${msp.mspId} and name = ${CUSTOMER}`)[0]!.id as string;
  const [level] = await sql`select id from access_levels where msp_id = ${msp.mspId} and name = 'Helpdesk'`;
  const grantId = (await requestGrant(contextFor(technician), { customerId: wingtip, accessLevelIds: [level!.id as string], durationMinutes: 60, justification: "Ticket 9090: license clean-up" })).id;
  await expect.poll(async () => (await sql`select state from grants where id = ${grantId}`)[0]!.state, { timeout: 30_000 }).toBe("active");
  await extendGrant(contextFor(technician), grantId, { minutes: 30 });
  // The switch needs a passkey check within minutes; the seeded sign-in counts as one, made fresh here.
  await sql`update sessions set stepped_up_at = now() where id = ${msp.owner.session.sessionId}`;

  const page = await pageAs(browser, baseURL!, msp.owner);
  await visit(page, "/grants");
  const card = page.getByTestId("kill-switch");
  await card.getByLabel("Scope").selectOption({ label: CUSTOMER });
  await card.getByRole("button", { name: `End all access: ${CUSTOMER}` }).click();
  // No reason: refused beside the field, and nothing is asked yet.
  await expect(card.getByText("Say why in at least 5 characters.")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  const reason = "Customer reported a phishing wave; pausing all admin access";
  await card.getByLabel("Reason").fill(reason);
  await card.getByRole("button", { name: `End all access: ${CUSTOMER}` }).click();
  const dialog = page.getByRole("dialog", { name: `End every live grant of ${CUSTOMER} now?` });
  await expect(dialog.getByTestId("kill-switch-preview")).toHaveText(`${CUSTOMER}: 1 live grant`);
  await expect(dialog).toContainText(reason);
  await page.screenshot({ path: shots("kill-switch-confirm-desktop") });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: shots("kill-switch-confirm-mobile") });
  await page.setViewportSize(DESKTOP);
  await dialog.getByRole("button", { name: "End 1 live grant" }).click();
  await expect(page.getByTestId("kill-switch-result")).toHaveText(`1 grant of ${CUSTOMER} ended.`);
  await expect.poll(async () => (await sql`select state from grants where id = ${grantId}`)[0]!.state, { timeout: 30_000 }).toBe("revoked");

  // The technician's timeline: the switch with who and why, and their own extension among Stint's steps.
  const tech = await pageAs(browser, baseURL!, technician);
  await visit(tech, `/grants/${grantId}`);
  await expect(tech.getByTestId("revoke-reason")).toHaveText(`“${reason}”`);
  const timeline = tech.getByTestId("grant-steps");
  await expect(timeline.getByRole("row", { name: /Ended by the kill switch/ })).toContainText(reason);
  await expect(tech.getByTestId("timeline-act")).toHaveText([/Extended by 30 min by Rita Technician/]);
  await tech.screenshot({ path: shots("grant-timeline-acts-desktop"), fullPage: true });
  await tech.setViewportSize(PHONE);
  await tech.screenshot({ path: shots("grant-timeline-acts-mobile"), fullPage: true });
});
