import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { requestGrant } from "@/lib/services/grants/request";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { inspectTenant } from "./support/emulator";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * A grant whose access Stint could not prove gone (as failed expiries leave it: irrevocable, red, with the next
 * attempt's time): the admin sees it on the grants page and its timeline, presses Retry now, and the worker takes
 * the access away at once; the tenant shows the account disabled and without roles.
 */
test.describe.configure({ mode: "serial" });

const CUSTOMER = "Fabrikam Logistics";
let msp: TestMsp;
let technician: TestMember;
let ownerPage: Page;
let tenantId: string;
let grantId: string;
let upn: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Retry MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Rita Technician" });
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  tenantId = await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "password");
  const customerId = ((await sql`select id from customers where name = ${CUSTOMER} and msp_id = ${msp.mspId}`)[0]!.id as string);
  const grant = await requestGrant(contextFor(technician), { customerId, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 3141: mailbox permissions" });
  grantId = grant.id;
  upn = grant.upn;
  await expect.poll(async () => (await sql`select state from grants where id = ${grantId}`)[0]!.state, { timeout: 30_000 }).toBe("active");
  // What twenty minutes of refused expiry attempts leave behind.
  await sql`update grants set state = 'irrevocable', end_reason = 'revoked', expiry_started_at = now() - interval '20 minutes',
    next_expiry_attempt_at = now() + interval '20 minutes', failure_reason = 'Insufficient privileges to complete the operation.' where id = ${grantId}`;
  const context = await browser.newContext();
  await context.addCookies([{ name: "stint_session", value: msp.owner.session.token, url: baseURL! }]);
  ownerPage = await context.newPage();
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});

test("the grants page shows the grant red with its reason and a Retry now; its timeline says when the next attempt comes", async () => {
  await visit(ownerPage, "/grants");
  const row = ownerPage.getByTestId(`grant-row-${grantId}`);
  await expect(row).toContainText("Insufficient privileges to complete the operation.");
  await expect(row.getByRole("button", { name: "Retry now" })).toBeVisible();
  await ownerPage.screenshot({ path: "docs/screenshots/grants-irrevocable-desktop.png", fullPage: true });
  await ownerPage.setViewportSize({ width: 390, height: 844 });
  await ownerPage.screenshot({ path: "docs/screenshots/grants-irrevocable-mobile.png", fullPage: true });

  await visit(ownerPage, `/grants/${grantId}`);
  await expect(ownerPage.getByTestId("grant-facts")).toContainText("Next attempt to take the access away");
  await expect(ownerPage.getByRole("button", { name: "Retry now" })).toBeVisible();
  await ownerPage.screenshot({ path: "docs/screenshots/grant-irrevocable-mobile.png", fullPage: true });
  await ownerPage.setViewportSize({ width: 1280, height: 800 });
  await ownerPage.screenshot({ path: "docs/screenshots/grant-irrevocable-desktop.png", fullPage: true });
});

test("Retry now runs the next attempt at once: the access is taken away and proven gone in the tenant", async () => {
  await ownerPage.getByRole("button", { name: "Retry now" }).click();
  await expect.poll(async () => (await sql`select state from grants where id = ${grantId}`)[0]!.state, { timeout: 30_000 }).toBe("revoked");
  const [requested] = await sql`select actor_id from audit_events where action = 'grant.revocation_retry_requested' and target_id = ${grantId}`;
  expect(requested!.actor_id).toBe(msp.owner.id);
  const tenant = await inspectTenant(tenantId);
  const user = tenant.users.find((u) => u.userPrincipalName === upn)!;
  expect(user.accountEnabled).toBe(false);
  expect(tenant.roleAssignments.filter((a) => a.principalId === user.id)).toEqual([]);
  await ownerPage.reload();
  await expect(ownerPage.getByText("Revoked").first()).toBeVisible();
});
