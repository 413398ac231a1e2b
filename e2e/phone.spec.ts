import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { requestGrant } from "@/lib/services/grants/request";
import { createInvite } from "@/lib/services/invites/create";
import { createToken } from "@/lib/services/tokens/create";
import { contextFor, inviteMember, seedMspDirectly, steppedUpContext, type TestMember, type TestMsp } from "@/test/factories";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * The console on a phone (390 × 844, touch): no page scrolls sideways, for the owner and for a technician;
 * the sidebar folds into a menu button that opens, navigates and closes; the controls a technician uses on the
 * go are thumb-sized. Screenshots of the main screens at 390 px and at 1280 px go to docs/screenshots.
 */
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const LIVE_CUSTOMER = "Fabrikam Logistics International";
const PAST_CUSTOMER = "Northwind Traders";
const shots = (name: string) => `docs/screenshots/${name}.png`;

let msp: TestMsp;
let technician: TestMember;
let ownerPage: Page;
let techPage: Page;
let liveCustomerId: string;
let liveGrantId: string;
let pastGrantId: string;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

async function grantState(id: string): Promise<string> {
  return (await sql`select state from grants where id = ${id}`)[0]!.state as string;
}

async function customerId(name: string): Promise<string> {
  return (await sql`select id from customers where name = ${name} and msp_id = ${msp.mspId}`)[0]!.id as string;
}

/** A phone: its width, touch, and the meta viewport honoured as a phone's browser does. */
async function phonePage(browser: Browser, baseURL: string, member: TestMember): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  await context.addCookies([{ name: "stint_session", value: member.session.token, url: baseURL }]);
  return context.newPage();
}

test.beforeAll(async ({ browser, baseURL }) => {
  msp = await seedMspDirectly({ mspName: "Phone MSP" });
  technician = await inviteMember(msp.owner, "technician", { displayName: "Rita Technician" });
  const owner = contextFor(msp.owner);
  const level = await createAccessLevel(owner, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8", "fe930be7-5e62-47db-91af-98c3a49a38b1"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, LIVE_CUSTOMER, "tap");
  await jitReadySandboxCustomer(msp, technician.id, level.id, PAST_CUSTOMER, "password");
  liveCustomerId = await customerId(LIVE_CUSTOMER);
  const tech = contextFor(technician);
  const justification = "Ticket 2718: reset a user's MFA methods";
  liveGrantId = (await requestGrant(tech, { customerId: liveCustomerId, accessLevelIds: [level.id], durationMinutes: 60, justification })).id;
  pastGrantId = (await requestGrant(tech, { customerId: await customerId(PAST_CUSTOMER), accessLevelIds: [level.id], durationMinutes: 30, justification })).id;
  await expect.poll(() => grantState(liveGrantId), { timeout: 30_000 }).toBe("active");
  await expect.poll(() => grantState(pastGrantId), { timeout: 30_000 }).toBe("active");
  ownerPage = await phonePage(browser, baseURL!, msp.owner);
  techPage = await phonePage(browser, baseURL!, technician);
  // Ended through the server, whose worker takes the access away at once (the specs do not share its queue).
  const ended = await techPage.request.post(`/api/v1/grants/${pastGrantId}/end`, { headers: { origin: baseURL! } });
  expect(ended.status()).toBe(200);
  await expect.poll(() => grantState(pastGrantId), { timeout: 30_000 }).toBe("ended");
  // Rows for the members and tokens tables.
  await createInvite(owner, { email: "pending.auditor@phone-msp.example", displayName: "Pat Pending", role: "auditor" });
  await createToken(await steppedUpContext(msp.owner), { name: "PSA integration", scopes: ["grants:read"], expiresInDays: 30 });
});

test.afterAll(async () => {
  await sql.end();
  await closeDb();
});

/** Opens the page and checks it is no wider than the screen; on failure, names the elements that stick out. */
async function visitWithoutSidewaysScroll(page: Page, path: string) {
  const response = await visit(page, path);
  expect(response?.status(), path).toBe(200);
  await expect(page.locator("main h1").first()).toBeVisible();
  const overflow = await page.evaluate((width) => {
    const inScrollBox = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > width + 0.5 && !inScrollBox(el);
    // The innermost elements that stick out, not all their ancestors.
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
  }, PHONE.width);
  // A phone's browser zooms out to fit a page wider than the screen, which widens innerWidth with it.
  expect(overflow.innerWidth, `${path} was zoomed out to fit: ${overflow.wide.join("; ")}`).toBe(PHONE.width);
  expect(overflow.scrollWidth, `${path} scrolls sideways: ${overflow.wide.join("; ")}`).toBeLessThanOrEqual(overflow.innerWidth);
  // Every page as it looked, for a person to judge (in test-results, not committed).
  await page.screenshot({ path: test.info().outputPath(`${path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.png`), fullPage: true });
}

async function expectThumbSized(control: Locator) {
  await expect(control).toBeVisible();
  const box = (await control.boundingBox())!;
  expect(box.height, (await control.textContent()) ?? undefined).toBeGreaterThanOrEqual(44);
}

test("at 390 px no page scrolls sideways for the owner", async () => {
  const paths = [
    "/overview",
    "/access",
    "/access/request",
    "/customers",
    `/customers/${liveCustomerId}`,
    "/access-levels",
    "/delegations",
    "/grants",
    "/grants?scope=history",
    `/grants/${liveGrantId}`,
    "/members",
    "/tokens",
    "/audit",
    "/account",
    "/api-docs",
    "/extension/connect",
  ];
  for (const path of paths) {
    await visitWithoutSidewaysScroll(ownerPage, path);
    if (path === "/overview") await ownerPage.screenshot({ path: shots("overview-mobile"), fullPage: true });
    if (path === "/grants") await ownerPage.screenshot({ path: shots("grants-mobile"), fullPage: true });
    if (path === "/grants?scope=history") await ownerPage.screenshot({ path: shots("grants-history-mobile"), fullPage: true });
    if (path === `/customers/${liveCustomerId}`) await ownerPage.screenshot({ path: shots("customer-mobile"), fullPage: true });
    if (path === "/audit") await ownerPage.screenshot({ path: shots("audit-mobile"), fullPage: true });
    if (path === "/members") await ownerPage.screenshot({ path: shots("members-mobile"), fullPage: true });
  }
});

test("at 390 px no page scrolls sideways for a technician", async () => {
  const paths = ["/overview", "/access", "/access/request", "/customers", `/customers/${liveCustomerId}`, `/grants/${liveGrantId}`, "/account", "/api-docs", "/extension/connect"];
  for (const path of paths) {
    await visitWithoutSidewaysScroll(techPage, path);
  }
});

test("the grants list reads as cards on a phone, with its revoke a thumb can hit", async () => {
  await visit(ownerPage, "/grants");
  const live = ownerPage.getByTestId(`grant-row-${liveGrantId}`);
  await expect(live).toContainText(LIVE_CUSTOMER);
  await expect(live).toContainText("Rita Technician");
  await expect(live.getByTestId("countdown")).toBeVisible();
  await expectThumbSized(live.getByRole("button", { name: "Revoke" }));
  await expectThumbSized(live.getByRole("link", { name: "Timeline" }));
  // A card is no wider than the screen.
  expect((await live.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
});

test("a technician's live grant on a phone: request, reveal, extend and end are thumb-sized", async () => {
  await visit(techPage, "/access");
  await expectThumbSized(techPage.getByTestId("request-access"));
  const card = techPage.getByTestId("live-grant");
  await expect(card).toContainText(LIVE_CUSTOMER);
  await expectThumbSized(card.getByRole("button", { name: "Reveal credential" }));
  await expectThumbSized(card.getByRole("button", { name: "Extend" }));
  await expectThumbSized(card.getByLabel("Extend by (minutes)"));
  await expectThumbSized(card.getByRole("button", { name: "End now" }));
  await techPage.screenshot({ path: shots("access-mobile"), fullPage: true });

  // As if the passkey check the reveal asks for had just been made (this browser holds no passkey).
  await steppedUpContext(technician);
  await card.getByRole("button", { name: "Reveal credential" }).click();
  const credential = card.getByTestId("credential");
  await expect(credential.getByRole("textbox", { name: "Temporary Access Pass" })).not.toHaveValue("");
  await expectThumbSized(credential.getByRole("button", { name: "Copy Temporary Access Pass" }));
  await expectThumbSized(credential.getByRole("button", { name: "Hide" }));
  const widths = await techPage.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(widths).toEqual({ scroll: PHONE.width, inner: PHONE.width });
  await techPage.screenshot({ path: shots("access-credential-mobile"), fullPage: true });
  await credential.getByRole("button", { name: "Hide" }).click();

  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${PAST_CUSTOMER} (Sandbox — emulated tenant)` });
  await expect(techPage.getByRole("checkbox", { name: /Helpdesk/ })).toBeVisible();
  await expectThumbSized(techPage.locator("label", { has: techPage.getByText("Helpdesk", { exact: true }) }));
  await expectThumbSized(techPage.getByLabel("Duration (minutes)"));
  await expectThumbSized(techPage.getByRole("button", { name: "Request access" }));
  await techPage.screenshot({ path: shots("request-mobile"), fullPage: true });
});

test("on a phone the menu button opens the navigation, a link navigates and closes it, Escape closes it", async () => {
  const page = ownerPage;
  await visit(page, "/overview");
  const nav = page.getByRole("navigation", { name: "Console" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toHaveAttribute("aria-controls", "console-menu");
  await expectThumbSized(menu);

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await expect(page.locator("#console-menu")).toContainText("Sign out");
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  await expectThumbSized(nav.getByRole("link", { name: "Grants" }));
  await page.screenshot({ path: shots("nav-menu-mobile") });

  // Escape closes it and gives focus back to the button, also when focus was in the menu.
  await nav.getByRole("link", { name: "Grants" }).focus();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // From the keyboard: the button opens it, Tab goes into it.
  await page.keyboard.press("Enter");
  await expect(nav).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused();

  await nav.getByRole("link", { name: "Grants" }).click();
  await expect(page).toHaveURL(/\/grants$/);
  await expect(page.getByRole("heading", { level: 1, name: "Grants" })).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();

  // The link to the page already shown closes it too.
  await menu.click();
  await nav.getByRole("link", { name: "Grants" }).click();
  await expect(nav).toBeHidden();

  // Back navigates without the menu: it stays closed.
  await page.goBack();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(nav).toBeHidden();
});

test("at 1280 px the sidebar is always there and there is no menu button", async () => {
  const page = ownerPage;
  await page.setViewportSize(DESKTOP);
  await visit(page, "/overview");
  await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  await page.screenshot({ path: shots("overview-desktop"), fullPage: true });
  await visit(page, "/grants");
  await page.screenshot({ path: shots("grants-desktop"), fullPage: true });
  await techPage.setViewportSize(DESKTOP);
  await visit(techPage, "/access");
  await expect(techPage.getByTestId("live-grant")).toBeVisible();
  await techPage.screenshot({ path: shots("access-desktop"), fullPage: true });
});
