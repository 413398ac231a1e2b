import { expect, test, type BrowserContext, type Page, type Worker } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createInvite } from "@/lib/services/invites/create";
import { contextFor, seedMspDirectly, type TestMsp } from "@/test/factories";
import { inspectTenant } from "./support/emulator";
import { launchWithExtension, LOOKALIKE_HOST } from "./support/extension";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { visit } from "./support/visit";

/**
 * The browser extension in Chromium, against Stint and the emulated Azure portal and Microsoft sign-in
 * page: a technician pairs it by approving its code with a passkey, sees their live grant in the popup,
 * and signs in with one click: the portal sends the browser to login.microsoftonline.com, which receives
 * the grant's account and Temporary Access Pass (Microsoft's MFA for its admin portals is satisfied) and
 * returns to the portal signed in. A password-only grant stops at Microsoft's MFA page and the popup says
 * why, and Sign in is no longer offered on that customer's password grants. A ticket redeems once; pages that
 * are not Microsoft's (or not opened for the grant) get nothing; after the grant ends its pass is gone, the
 * popup shows it gone (with a link to Stint's request page) and signing in is refused; a grant that has not
 * started offers no Sign in and says when; revoking the token signs the extension out.
 */
test.describe.configure({ mode: "serial" });

const CUSTOMER = "Fabrikam (sandbox)";
const PASSWORD_CUSTOMER = "Northwind (sandbox)";
let msp: TestMsp;
let tenantId: string;
let context: BrowserContext;
let serviceWorker: Worker;
let extensionId: string;
let techPage: Page;
let popup: Page;
let grantId: string;
let jitUpn: string;
let passwordTenantId: string;
let passOfEndedGrant: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

async function auditCount(action: string, result = "success") {
  const [row] = await sql`select count(*)::int as n from audit_events where action = ${action} and result = ${result} and target_id = ${grantId}`;
  return row!.n as number;
}

async function openPopup(): Promise<Page> {
  const page = await context.newPage();
  // The size Chromium gives the toolbar popup.
  await page.setViewportSize({ width: 360, height: 460 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

test.beforeAll(async ({ baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Extension MSP" });
  ({ context, serviceWorker, extensionId } = await launchWithExtension());
  // The technician joins with a passkey in the same browser the extension lives in.
  const { link } = await createInvite(contextFor(msp.owner), { email: "tess@extension-msp.example", displayName: "Tess Technician", role: "technician" });
  techPage = await context.newPage();
  await addVirtualAuthenticator(context, techPage);
  await visit(techPage, link);
  await techPage.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(techPage).toHaveURL(/\/overview$/);
  const [tech] = await sql`select id from members where email = 'tess@extension-msp.example'`;
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  tenantId = await jitReadySandboxCustomer(msp, tech!.id as string, level.id, CUSTOMER, "tap");
  passwordTenantId = await jitReadySandboxCustomer(msp, tech!.id as string, level.id, PASSWORD_CUSTOMER, "password");

  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${CUSTOMER} (Sandbox — emulated tenant)` });
  await techPage.getByRole("checkbox", { name: /Helpdesk/ }).check();
  await techPage.getByLabel("Duration (minutes)").fill("60");
  await techPage.getByLabel("Justification").fill("Ticket 5678: check the conditional access policies");
  await techPage.getByRole("button", { name: "Request access" }).click();
  const card = techPage.getByTestId("live-grant");
  await expect(card).toContainText("Active", { timeout: 30_000 });
  const [grant] = await sql`select id, upn from grants where customer_id in (select id from customers where name = ${CUSTOMER}) and state = 'active'`;
  grantId = grant!.id as string;
  jitUpn = grant!.upn as string;
  expect(baseURL).toBeTruthy();
});

test.afterAll(async () => {
  await context?.close();
  await sql.end();
  await closeDb();
});

test("the technician pairs the extension by approving its code in Stint with a passkey", async ({ baseURL }) => {
  popup = await openPopup();
  await popup.getByLabel("Stint address").fill(baseURL!);
  await popup.getByRole("button", { name: "Continue" }).click();
  await popup.getByRole("button", { name: "Connect to Stint" }).click();
  const code = (await popup.getByTestId("pairing-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  await popup.screenshot({ path: "docs/screenshots/extension-pairing.png" });

  // "Open Stint to approve" opens the console's Connect page without the code: the technician types it.
  const [approvalTab] = await Promise.all([context.waitForEvent("page"), popup.getByRole("button", { name: "Open Stint to approve" }).click()]);
  await approvalTab.waitForLoadState();
  expect(approvalTab.url()).toBe(`${baseURL}/extension/connect`);
  await approvalTab.close();

  // Approve on the technician's page (its virtual authenticator holds the passkey). Their sign-in does
  // not count: approving asks for a passkey assertion of its own.
  const stepUpsBefore = (await sql`select count(*)::int as n from audit_events where action = 'auth.step_up' and result = 'success' and actor_id = (select id from members where email = 'tess@extension-msp.example')`)[0]!.n as number;
  await visit(techPage, "/extension/connect");
  await expect(techPage.getByLabel("Code shown by the extension")).toHaveValue("");
  await techPage.getByLabel("Code shown by the extension").fill(code.toLowerCase());
  await techPage.getByRole("button", { name: "Continue" }).click();
  await expect(techPage.getByTestId("pending-pairing")).toContainText("Chrome on Linux");
  // The address the server saw when the extension asked (both browsers are this machine here).
  const [pairing] = await sql`select created_ip from extension_pairings where status = 'pending' order by created_at desc limit 1`;
  await expect(techPage.getByTestId("pairing-requested-from")).toHaveText(pairing!.created_ip as string);
  await techPage.screenshot({ path: "docs/screenshots/extension-connect.png", fullPage: true });
  await techPage.getByRole("button", { name: "Approve" }).click();
  await expect(techPage.getByTestId("pairing-approved")).toBeVisible();
  expect((await sql`select count(*)::int as n from audit_events where action = 'auth.step_up' and result = 'success' and actor_id = (select id from members where email = 'tess@extension-msp.example')`)[0]!.n).toBe(stepUpsBefore + 1);

  await expect(popup.getByText("Tess Technician · Extension MSP")).toBeVisible({ timeout: 15_000 });
  const [token] = await sql`select type, scopes, revoked_at from api_tokens where member_id = (select id from members where email = 'tess@extension-msp.example')`;
  expect(token).toMatchObject({ type: "extension", scopes: ["grants:read", "credentials:read"], revoked_at: null });
});

/** The popup's card of one customer's grant, and its Sign in button. */
const grantCard = (customer: string) => popup.getByTestId("grant").filter({ hasText: customer });
const signInTo = (customer: string) => grantCard(customer).getByRole("button", { name: "Sign in" });

test("the popup shows the live grant: customer, access level, account, pass and a countdown", async () => {
  const grant = popup.getByTestId("grant");
  await expect(grant).toHaveCount(1);
  await expect(grant).toContainText(CUSTOMER);
  // The sandbox's grants are on the emulated tenant, not a real Microsoft tenant.
  await expect(grant.getByText("Sandbox", { exact: true })).toBeVisible();
  await expect(grant).toContainText("Helpdesk");
  await expect(grant).toContainText(jitUpn);
  await expect(grant.getByTestId("sign-in-note")).toContainText(/Temporary Access Pass until \d\d:\d\d/);
  await expect(grant.getByTestId("countdown")).toHaveText(/^ends in (59|60) min \d\d s$/);
  await popup.screenshot({ path: "docs/screenshots/extension-popup.png" });
});

test("Sign in opens the Azure portal; Microsoft's sign-in page takes the account and its pass, and the portal shows it signed in", async () => {
  const [signIn] = await Promise.all([context.waitForEvent("page"), signInTo(CUSTOMER).click()]);
  await expect(signIn.locator("#signedInAs")).toHaveText(jitUpn, { timeout: 20_000 });
  expect(new URL(signIn.url()).host).toBe("portal.azure.com");
  const tenant = await inspectTenant(tenantId);
  // The portal's client demands MFA; the pass satisfied it, and no password was typed.
  expect(tenant.signIns.filter((r) => r.userPrincipalName === jitUpn)).toEqual([
    expect.objectContaining({ method: "tap", tapMatched: true, passwordMatched: false, outcome: "signed-in", kmsi: "no" }),
  ]);
  expect(await auditCount("grant.launch_ticket_issued")).toBe(1);
  expect(await auditCount("grant.launch_ticket_redeemed")).toBe(1);

  // The same tab, back on the sign-in page: its ticket is spent and its binding gone, so nothing is filled.
  await signIn.goto(`https://login.microsoftonline.com/${tenantId}/login`);
  await signIn.waitForTimeout(1500);
  await expect(signIn.locator('input[name="loginfmt"]')).toHaveValue("");
  expect(await auditCount("grant.launch_ticket_redeemed")).toBe(1);
  await signIn.close();
});

test("with Stay signed in set to Yes, the extension answers Microsoft's prompt with Yes", async () => {
  await popup.getByLabel("Answer “Stay signed in?” with Yes").check();
  const [signIn] = await Promise.all([context.waitForEvent("page"), signInTo(CUSTOMER).click()]);
  await expect(signIn.locator("#signedInAs")).toHaveText(jitUpn, { timeout: 20_000 });
  const records = (await inspectTenant(tenantId)).signIns.filter((r) => r.userPrincipalName === jitUpn);
  expect(records.map((r) => [r.tapMatched, r.kmsi])).toEqual([
    [true, "no"],
    [true, "yes"],
  ]);
  await signIn.close();
  await popup.getByLabel("Answer “Stay signed in?” with Yes").uncheck();
});

test("a launch ticket redeems once: the second redemption is refused", async ({ request }) => {
  const { token } = (await serviceWorker.evaluate(() => chrome.storage.local.get("token"))) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const issued = await request.post(`/api/v1/grants/${grantId}/launch-ticket`, { headers });
  expect(issued.status()).toBe(201);
  const { ticket } = (await issued.json()) as { ticket: string };
  const first = await request.post("/api/v1/launch-tickets/redeem", { headers, data: { ticket } });
  expect(first.status()).toBe(200);
  const credential = (await first.json()) as { userPrincipalName: string; signInMethod: string; temporaryAccessPass: string; password: string | null };
  expect(credential).toMatchObject({ userPrincipalName: jitUpn, signInMethod: "tap", password: null });
  const held = (await inspectTenant(tenantId)).users.find((u) => u.userPrincipalName === jitUpn)!.temporaryAccessPass!;
  expect(credential.temporaryAccessPass).toBe(held.temporaryAccessPass);
  passOfEndedGrant = credential.temporaryAccessPass;
  // The pass of the sign-ins before never reached the extension's storage.
  const stored = await serviceWorker.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
  expect(stored).toContain(token);
  expect(stored).not.toContain(credential.temporaryAccessPass);
  const second = await request.post("/api/v1/launch-tickets/redeem", { headers, data: { ticket } });
  expect(second.status()).toBe(410);
  expect(await auditCount("grant.launch_ticket_redeemed", "failure")).toBe(1);
});

test("pages that are not Microsoft's, or not opened for the grant, get nothing filled", async () => {
  const before = await auditCount("grant.launch_ticket_redeemed");
  // The very same page on a look-alike origin: the content script does not even run there.
  const lookalike = await context.newPage();
  await lookalike.goto(`https://${LOOKALIKE_HOST}/${tenantId}/login`);
  // Microsoft's own page in a tab the technician opened: no grant is bound to it.
  const unbound = await context.newPage();
  await unbound.goto(`https://login.microsoftonline.com/${tenantId}/login`);
  await unbound.waitForTimeout(1500);
  // The content script's own world on Microsoft's page cannot read the extension's token from storage.
  const cdp = await context.newCDPSession(unbound);
  const worlds: { id: number; auxData?: { type?: string } ; name: string }[] = [];
  cdp.on("Runtime.executionContextCreated", ({ context: c }) => worlds.push(c));
  await cdp.send("Runtime.enable");
  const contentWorld = worlds.find((c) => c.auxData?.type === "isolated" && c.name === "Stint");
  expect(contentWorld, "the content script runs on Microsoft's page").toBeTruthy();
  const read = await cdp.send("Runtime.evaluate", {
    contextId: contentWorld!.id,
    awaitPromise: true,
    expression: `chrome.storage.local.get(null).then((v) => JSON.stringify(v), (e) => "refused: " + e.message)`,
  });
  expect(String(read.result.value)).toMatch(/^refused/);
  for (const page of [lookalike, unbound]) {
    await expect(page.locator('input[name="loginfmt"]')).toHaveValue("");
    await expect(page.locator('input[name="passwd"]')).toHaveValue("");
    await expect(page.locator('input[name="accesspass"]')).toHaveValue("");
  }

  expect(await auditCount("grant.launch_ticket_redeemed")).toBe(before);
  for (const page of [lookalike, unbound]) await page.close();
});

test("a password-only grant stops at Microsoft's MFA page on the portal, and the popup says why", async () => {
  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${PASSWORD_CUSTOMER} (Sandbox — emulated tenant)` });
  await techPage.getByRole("checkbox", { name: /Helpdesk/ }).check();
  await techPage.getByLabel("Duration (minutes)").fill("30");
  await techPage.getByLabel("Justification").fill("Ticket 5679: a tenant without Temporary Access Passes");
  await techPage.getByRole("button", { name: "Request access" }).click();
  const card = techPage.getByTestId("live-grant").filter({ hasText: PASSWORD_CUSTOMER });
  await expect(card).toContainText("Active", { timeout: 30_000 });
  const [passwordGrant] = await sql`select upn from grants where customer_id in (select id from customers where name = ${PASSWORD_CUSTOMER}) and state = 'active'`;
  const passwordUpn = passwordGrant!.upn as string;

  await popup.reload();
  await expect(grantCard(PASSWORD_CUSTOMER).getByTestId("sign-in-note")).toContainText("Password only");
  const [signIn] = await Promise.all([context.waitForEvent("page"), signInTo(PASSWORD_CUSTOMER).click()]);
  await expect(signIn.locator("#idDiv_ProofUp_Title")).toHaveText("More information required", { timeout: 20_000 });
  expect(new URL(signIn.url()).host).toBe("login.microsoftonline.com");
  const records = (await inspectTenant(passwordTenantId)).signIns.filter((r) => r.userPrincipalName === passwordUpn);
  expect(records).toEqual([expect.objectContaining({ method: "password", passwordMatched: true, outcome: "mfa-required" })]);
  await signIn.close();

  await popup.reload();
  await expect(popup.getByRole("alert")).toContainText("asks this account for MFA");
  await expect(popup.getByRole("alert")).toContainText("Temporary Access Pass");
  await popup.screenshot({ path: "docs/screenshots/extension-mfa-explained.png" });
  // The tenant demanded MFA of a password: Sign in is no longer offered for this customer's password grant, and the card says why.
  await expect(grantCard(PASSWORD_CUSTOMER).getByTestId("sign-in-blocked")).toContainText("asked this password-only account for MFA");
  await expect(signInTo(PASSWORD_CUSTOMER)).toHaveCount(0);
  await expect(signInTo(CUSTOMER)).toBeVisible();
  await popup.screenshot({ path: "docs/screenshots/extension-sign-in-blocked.png" });

  await card.getByRole("button", { name: "End now" }).click();
  await techPage.getByRole("dialog").getByRole("button", { name: "End access" }).click();
  await expect(techPage.getByTestId("grant-history")).toContainText(passwordUpn, { timeout: 30_000 });
});

test("after the grant ends its pass is gone, the popup shows it gone, and signing in to it is refused", async ({ baseURL }) => {
  await visit(techPage, "/access");
  await techPage.getByRole("button", { name: "End now" }).click();
  await techPage.getByRole("dialog").getByRole("button", { name: "End access" }).click();
  await expect(techPage.getByTestId("grant-history")).toContainText(jitUpn, { timeout: 30_000 });
  const account = (await inspectTenant(tenantId)).users.find((u) => u.userPrincipalName === jitUpn)!;
  expect(account).toMatchObject({ accountEnabled: false, temporaryAccessPass: null, roles: [] });
  // Microsoft's page no longer offers the pass for the account, so the old one cannot be typed anywhere.
  const page = await context.newPage();
  await page.goto(`https://login.microsoftonline.com/${tenantId}/login`);
  await page.locator('input[name="loginfmt"]').fill(jitUpn);
  await page.locator("#idSIButton9").click();
  await expect(page.locator('input[name="passwd"]')).toBeVisible();
  await expect(page.locator('input[name="accesspass"]')).toBeHidden();
  expect(passOfEndedGrant).toBeTruthy();
  await page.close();

  await popup.reload();
  await expect(popup.getByTestId("no-grants")).toBeVisible();
  await expect(popup.getByTestId("grant")).toHaveCount(0);
  // The empty popup leads to Stint's request page.
  await expect(popup.getByRole("link", { name: "Request access in Stint" })).toHaveAttribute("href", `${baseURL}/access/request`);
  await popup.screenshot({ path: "docs/screenshots/extension-empty.png" });
  const pages = context.pages().length;
  const refused = await popup.evaluate((id) => chrome.runtime.sendMessage({ type: "launch", grantId: id }), grantId);
  expect(refused).toMatchObject({ ok: false });
  expect(context.pages()).toHaveLength(pages);
  // Three tickets were issued while the grant was live (two sign-ins and the replay test); none after it ended.
  expect(await auditCount("grant.launch_ticket_issued")).toBe(3);
});

test("a grant that has not started offers no Sign in, and the popup says when it starts", async () => {
  const start = new Date(Date.now() + 2 * 3_600_000);
  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${CUSTOMER} (Sandbox — emulated tenant)` });
  await techPage.getByRole("checkbox", { name: /Helpdesk/ }).check();
  await techPage.getByLabel("Duration (minutes)").fill("30");
  await techPage.getByLabel("Start (UTC, optional)").fill(start.toISOString().slice(0, 16));
  await techPage.getByLabel("Justification").fill("Ticket 5680: the maintenance window tonight");
  await techPage.getByRole("button", { name: "Request access" }).click();
  await expect(techPage.getByTestId("live-grant")).toContainText("Starts at");

  await popup.reload();
  const card = grantCard(CUSTOMER);
  await expect(card.getByTestId("sign-in-blocked")).toHaveText(/^Starts at \d{1,2} [A-Z][a-z]+, \d\d:\d\d UTC\. Sign in is offered once the account is ready\.$/);
  await expect(signInTo(CUSTOMER)).toHaveCount(0);
  await expect(card.getByTestId("countdown")).toHaveCount(0);
  await popup.screenshot({ path: "docs/screenshots/extension-not-started.png" });
});

test("revoking the extension's token in Stint signs the extension out", async () => {
  await visit(techPage, "/account");
  const row = techPage.getByRole("row", { name: /Browser extension/ });
  await row.getByRole("button", { name: "Revoke" }).click();
  await techPage.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
  await expect(techPage.getByRole("row", { name: /Browser extension/ })).toContainText(/Revoked/i);

  await popup.reload();
  await expect(popup.getByRole("status")).toContainText("expired or was revoked");
  await expect(popup.getByRole("button", { name: "Connect to Stint" })).toBeVisible();
  await popup.screenshot({ path: "docs/screenshots/extension-signed-out.png" });
});
