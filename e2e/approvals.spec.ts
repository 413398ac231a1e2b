import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createInvite } from "@/lib/services/invites/create";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { waitForMail } from "./support/mail";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { visit } from "./support/visit";

/**
 * The MSP's default policy asks an admin to approve privileged access levels. A technician asks for one and
 * sees, before submitting, that it needs approval and who gives it; the approver sees the badge and the queue,
 * approves with a passkey, and the technician watches the account being made. A second request is denied
 * with a reason, which the technician reads on My access.
 */
test.describe.configure({ mode: "serial" });

let msp: TestMsp;
let technician: TestMember;
let techPage: Page;
let approverPage: Page;
let levelId: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Approval MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Theo Technician" });
  const owner = contextFor(msp.owner);
  const level = await createAccessLevel(owner, { name: "Global admin", roleTemplateIds: ["62e90394-69f5-4237-9190-012177145e10"], privileged: true });
  await jitReadySandboxCustomer(msp, technician.id, level.id, "Contoso Retail", "password");
  await jitReadySandboxCustomer(msp, technician.id, level.id, "Northwind Traders", "password");
  await jitReadySandboxCustomer(msp, technician.id, level.id, "Fabrikam Foods", "password");
  levelId = level.id;
  await createAccessPolicy(owner, { name: "Privileged needs approval", approval: "privileged", approverRoles: ["admin"] });

  // The approver joins with a passkey in their own browser, so the approval's step-up is a real ceremony.
  const { link } = await createInvite(contextFor(msp.owner, { stepUp: "fresh" }), { email: "ada@approval-msp.example", displayName: "Ada Approver", role: "admin" });
  const approverContext = await browser.newContext();
  approverPage = await approverContext.newPage();
  await addVirtualAuthenticator(approverContext, approverPage);
  await visit(approverPage, link);
  await approverPage.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(approverPage).toHaveURL(/\/overview$/);

  const techContext = await browser.newContext();
  await techContext.addCookies([{ name: "stint_session", value: technician.session.token, url: baseURL! }]);
  techPage = await techContext.newPage();
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});

async function askFor(customer: string) {
  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${customer} (Sandbox — emulated tenant)` });
  await expect(techPage.getByRole("checkbox", { name: /Global admin/ })).toBeChecked();
  await expect(techPage.getByTestId("policy-demands")).toContainText("Needs approval by one of Ada Approver.");
  await techPage.getByLabel("Duration (minutes)").fill("60");
  await techPage.getByLabel("Justification").fill("Ticket 7001: conditional access policy locked out the CEO");
}

test("the request form says approval is needed and by whom; the request waits", async () => {
  await askFor("Contoso Retail");
  await expect(techPage.getByTestId("emergency")).toBeVisible();
  await techPage.getByRole("button", { name: "Ask for approval" }).click();
  await expect(techPage).toHaveURL(/\/access#grant-gr_/);
  const card = techPage.getByTestId("live-grant");
  await expect(card.getByTestId("grant-state")).toHaveText("Awaiting approval");
  await expect(card.getByTestId("approval-note")).toContainText("nothing is created in the tenant");
  await expect(card.getByRole("button", { name: "Cancel request" })).toBeVisible();
});

test("the approver gets the e-mail and sees the badge and the queue, approves with a passkey; the technician sees it provisioning", async () => {
  // The e-mail, as the local SMTP server received it, links to the request in the console's queue.
  const asked = await waitForMail((m) => m.to.includes("ada@approval-msp.example") && m.subject === "Approval requested");
  expect(asked.text).toContain("Ticket 7001: conditional access policy locked out the CEO");
  const link = asked.text.match(/https?:\/\/\S+\/approvals#grant-gr_\w+/)?.[0];
  expect(link, asked.text).toBeTruthy();

  await visit(approverPage, "/overview");
  await expect(approverPage.getByTestId("nav-badge-approvals").first()).toHaveText("1");
  await visit(approverPage, link!);
  await expect(approverPage).toHaveURL(/\/approvals#grant-gr_/);
  const item = approverPage.getByTestId("approval");
  await expect(item).toContainText("Theo Technician asks for Global admin");
  await expect(item.getByTestId("approval-justification")).toHaveText("Ticket 7001: conditional access policy locked out the CEO");
  await approverPage.screenshot({ path: "docs/screenshots/approvals-desktop.png", fullPage: true });
  await approverPage.setViewportSize({ width: 390, height: 844 });
  await approverPage.screenshot({ path: "docs/screenshots/approvals-mobile.png", fullPage: true });
  await approverPage.setViewportSize({ width: 1280, height: 800 });

  // The sign-in counted as a passkey check; age it so approving must ask for a fresh one.
  await sql`update sessions set stepped_up_at = now() - interval '10 minutes' where member_id in (select id from members where email = 'ada@approval-msp.example')`;
  await item.getByLabel(/Duration/).fill("45");
  await item.getByRole("button", { name: "Approve with passkey" }).click();
  await expect(approverPage.getByText("Nothing waits for you")).toBeVisible();
  await expect(approverPage.getByTestId("nav-badge-approvals")).toHaveCount(0);

  const [grant] = await sql`select state, duration_minutes, approved_by from grants where member_id = ${technician.id}`;
  expect(grant!.duration_minutes).toBe(45);
  expect(grant!.approved_by).toHaveLength(1);
  await techPage.reload();
  await expect(techPage.getByTestId("live-grant").getByTestId("grant-state")).toHaveText(/Provisioning|Active/, { timeout: 30_000 });
  await expect(techPage.getByTestId("live-grant").getByTestId("grant-state")).toHaveText("Active", { timeout: 30_000 });
});

test("a denied request shows the approver's reason to the technician", async () => {
  await askFor("Northwind Traders");
  await techPage.getByRole("button", { name: "Ask for approval" }).click();
  await expect(techPage).toHaveURL(/\/access#grant-gr_/);

  await visit(approverPage, "/approvals");
  const item = approverPage.getByTestId("approval");
  await expect(item).toContainText("Northwind Traders");
  await item.getByRole("button", { name: "Deny…" }).click();
  await item.getByLabel("Why (the requester sees it)").fill("Use the helpdesk level; Global admin is not needed for this");
  await item.getByTestId("confirm-deny").click();
  await expect(approverPage.getByText("Nothing waits for you")).toBeVisible();

  await techPage.reload();
  const denied = techPage.getByTestId("live-grant").filter({ hasText: "Northwind Traders" });
  await expect(denied.getByTestId("grant-state")).toHaveText("Denied");
  await expect(denied.getByTestId("denial")).toHaveText("Denied: Use the helpdesk level; Global admin is not needed for this");
  const mail = await waitForMail((m) => m.to.includes(technician.email) && m.subject === "Request denied");
  expect(mail.text).toContain("Use the helpdesk level; Global admin is not needed for this");
  await techPage.screenshot({ path: "docs/screenshots/approval-denied-desktop.png", fullPage: true });
});

test("break glass skips the approval: access at once, every approver told, and the request waits for their review", async () => {
  await askFor("Fabrikam Foods");
  await techPage.getByTestId("emergency").getByRole("checkbox").check();
  await techPage.getByLabel("Justification").fill("Ticket 7002: ransomware in progress, the on-call approver is unreachable");
  await techPage.getByRole("button", { name: "Request access" }).click();
  await expect(techPage).toHaveURL(/\/access#grant-gr_/);
  const card = techPage.getByTestId("live-grant").filter({ hasText: "Fabrikam Foods" });
  await expect(card.getByTestId("grant-state")).toHaveText("Active", { timeout: 30_000 });

  const alert = await waitForMail((m) => m.to.includes("ada@approval-msp.example") && m.subject.endsWith("Emergency access used"));
  expect(alert.text).toContain("ransomware in progress");
  await visit(approverPage, "/approvals");
  const item = approverPage.getByTestId("approval").filter({ hasText: "Fabrikam Foods" });
  await expect(item).toContainText("Break glass — review");
  await item.getByRole("button", { name: "Mark reviewed" }).click();
  await expect(approverPage.getByTestId("approval").filter({ hasText: "Fabrikam Foods" })).toHaveCount(0);
  const [grant] = await sql`select emergency, reviewed_by from grants where customer_id in (select id from customers where name = 'Fabrikam Foods')`;
  expect(grant).toMatchObject({ emergency: true, reviewed_by: expect.any(String) });
});

test("a policy that asks for a passkey at request gets one: the technician's browser confirms it, then the request goes through", async ({ browser }) => {
  const { link } = await createInvite(contextFor(msp.owner, { stepUp: "fresh" }), { email: "pia@approval-msp.example", displayName: "Pia Passkey", role: "technician" });
  const context = await browser.newContext();
  const page = await context.newPage();
  const authenticator = await addVirtualAuthenticator(context, page);
  await visit(page, link);
  await page.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(page).toHaveURL(/\/overview$/);
  const [pia] = await sql`select id from members where email = 'pia@approval-msp.example'`;
  await jitReadySandboxCustomer(msp, pia!.id as string, levelId, "Litware", "password");
  const [litware] = await sql`select id from customers where name = 'Litware'`;
  await createAccessPolicy(contextFor(msp.owner), { name: "Litware needs a passkey", customerId: litware!.id as string, stepUpAtRequest: true });
  // The sign-in counted as a passkey check; age it, so the request must ask for a fresh one.
  await sql`update sessions set stepped_up_at = now() - interval '10 minutes' where member_id = ${pia!.id as string}`;

  await visit(page, "/access/request");
  await page.getByLabel("Customer").selectOption({ label: "Litware (Sandbox — emulated tenant)" });
  await expect(page.getByTestId("policy-demands")).toContainText(/passkey/i);
  await page.getByLabel("Justification").fill("Ticket 7003: rotate the app registration's secret");
  const signCount = (await authenticator.credentials())[0]!.signCount;
  await page.getByRole("button", { name: "Request access" }).click();
  await expect(page).toHaveURL(/\/access#grant-gr_/);
  expect((await authenticator.credentials())[0]!.signCount).toBeGreaterThan(signCount);
  await expect(page.getByTestId("live-grant").getByTestId("grant-state")).toHaveText("Active", { timeout: 30_000 });
  await context.close();
});

test("the policy editor (screenshots)", async () => {
  await visit(approverPage, "/access-policies");
  const policy = approverPage.getByTestId("policy").filter({ hasText: "Privileged needs approval" });
  await expect(policy).toBeVisible();
  await policy.getByRole("button", { name: "Edit" }).click();
  await approverPage.screenshot({ path: "docs/screenshots/access-policies-desktop.png", fullPage: true });
  await approverPage.setViewportSize({ width: 390, height: 844 });
  await approverPage.screenshot({ path: "docs/screenshots/access-policies-mobile.png", fullPage: true });
});
