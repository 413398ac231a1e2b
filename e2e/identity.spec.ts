import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { visit } from "./support/visit";

// One story, in order: it starts from an empty installation (setup can only happen once).
test.describe.configure({ mode: "serial" });

const owner = { msp: "Northwind IT", name: "Olivia Owner", email: "olivia@northwind.example" };
const tech = { name: "Theo Technician", email: "theo@northwind.example" };

const nav = (page: Page) => page.getByRole("navigation", { name: "Console" });

let ownerPage: Page;
let techPage: Page;
let inviteLink: string;

test.beforeAll(async ({ browser }) => {
  const ownerContext = await browser.newContext();
  ownerPage = await ownerContext.newPage();
  await addVirtualAuthenticator(ownerContext, ownerPage);
  const techContext = await browser.newContext();
  techPage = await techContext.newPage();
  await addVirtualAuthenticator(techContext, techPage);
});

test("first run leads to setup; the owner registers a passkey and lands in the console", async () => {
  await visit(ownerPage, "/");
  await expect(ownerPage).toHaveURL(/\/setup$/);
  await expect(ownerPage.getByText("Printed by npm start in its terminal, also in .data/setup-code")).toBeVisible();
  await ownerPage.getByRole("button", { name: /create msp/i }).click();
  await expect(ownerPage.getByText("Enter the setup code.")).toBeVisible();
  await expect(ownerPage.getByText("At least 2 characters.")).toBeVisible();
  await ownerPage.getByLabel("MSP name").fill(owner.msp);
  await ownerPage.getByLabel("Your name").fill(owner.name);
  await ownerPage.getByLabel("Your work email").fill(owner.email);
  // Whoever reaches the port first without the code printed by npm start cannot become owner.
  await ownerPage.getByLabel("Setup code").fill("BCDF-GHJK-LMNP-QRST-VWXZ-BCDF");
  await ownerPage.getByRole("button", { name: /create msp/i }).click();
  await expect(ownerPage.getByText(/That setup code is not right/)).toBeVisible();
  await expect(ownerPage).toHaveURL(/\/setup$/);
  await ownerPage.getByLabel("Setup code").fill(process.env.SETUP_CODE!);
  await ownerPage.getByRole("button", { name: /create msp/i }).click();
  await expect(ownerPage).toHaveURL(/\/overview$/);
  await expect(ownerPage.getByTestId("signed-in-as")).toHaveText(owner.name);
});

test("setup is closed for good once an MSP exists", async () => {
  await visit(ownerPage, "/setup");
  await expect(ownerPage).toHaveURL(/\/(overview|sign-in)$/);
  const res = await ownerPage.request.post("/api/setup/options", {
    headers: { origin: new URL(ownerPage.url()).origin },
    data: { setupCode: process.env.SETUP_CODE, mspName: "Second MSP", ownerName: "Mallory", ownerEmail: "mallory@evil.example" },
  });
  expect(res.status()).toBe(410);
  expect((await res.json()).error.code).toBe("gone");
});

test("sign out, then sign in with the passkey and no username", async () => {
  await ownerPage.getByRole("button", { name: "Sign out" }).click();
  await expect(ownerPage).toHaveURL(/\/sign-in$/);
  await ownerPage.screenshot({ path: "docs/screenshots/sign-in.png" });
  await ownerPage.getByRole("button", { name: /sign in with a passkey/i }).click();
  await expect(ownerPage).toHaveURL(/\/overview$/);
  await expect(ownerPage.getByTestId("signed-in-as")).toHaveText(owner.name);
});

test("the owner invites a technician and gets a one-time link", async () => {
  await nav(ownerPage).getByRole("link", { name: "Members" }).click();
  await ownerPage.getByLabel("Name", { exact: true }).fill(tech.name);
  await ownerPage.getByLabel("Email", { exact: true }).fill(tech.email);
  await ownerPage.getByLabel("Role", { exact: true }).selectOption("technician");
  await ownerPage.getByRole("button", { name: "Create invite link" }).click();
  inviteLink = await ownerPage.getByTestId("one-time-link").inputValue();
  // The secret is the fragment: browsers send it to no server, so it stays out of logs and Referer headers.
  expect(inviteLink).toMatch(/\/invite#[0-9A-Za-z]{43}$/);
  await expect(ownerPage.getByTestId("invites-table")).toContainText(tech.email);
});

test("the technician registers a passkey from the link, in another browser", async () => {
  await visit(techPage, inviteLink);
  await expect(techPage.getByRole("heading", { name: `Join ${owner.msp}` })).toBeVisible();
  // Read, the secret leaves the address bar (and this history entry).
  expect(techPage.url()).toMatch(/\/invite$/);
  await techPage.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(techPage).toHaveURL(/\/overview$/);
  await expect(techPage.getByTestId("signed-in-as")).toHaveText(tech.name);
});

test("the invite link works only once; a link of the old form asks for a new one", async ({ browser }) => {
  const other = await browser.newPage();
  await visit(other, inviteLink);
  await expect(other.getByRole("heading", { name: "Invite link not valid" })).toBeVisible();
  await expect(other.getByText(/expired or was already used/)).toBeVisible();
  await visit(other, inviteLink.replace("#", "/"));
  await expect(other.getByRole("heading", { name: "Invite link not valid" })).toBeVisible();
  await expect(other.getByText(/older kind.*Ask your admin for a new link/)).toBeVisible();
  await other.close();
});

test("the technician signs out and back in without a username", async () => {
  await techPage.getByRole("button", { name: "Sign out" }).click();
  await techPage.getByRole("button", { name: /sign in with a passkey/i }).click();
  await expect(techPage).toHaveURL(/\/overview$/);
  await expect(techPage.getByTestId("signed-in-as")).toHaveText(tech.name);
});

test("signed out, a page sends the member through sign-in and back to it (and only to this site)", async () => {
  await techPage.getByRole("button", { name: "Sign out" }).click();
  await expect(techPage).toHaveURL(/\/sign-in$/);
  await visit(techPage, "/extension/connect?code=BCDF-GHJK");
  await expect(techPage).toHaveURL(/\/sign-in\?next=%2Fextension%2Fconnect%3Fcode%3DBCDF-GHJK$/);
  await techPage.getByRole("button", { name: /sign in with a passkey/i }).click();
  await expect(techPage).toHaveURL(/\/extension\/connect\?code=BCDF-GHJK$/);
  // A code in a link is never filled in: the member types what their own extension shows.
  await expect(techPage.getByLabel("Code shown by the extension")).toHaveValue("");
  // Signed in, /sign-in forwards to a path of this site, and to the overview for anything else.
  await visit(techPage, "/sign-in?next=%2Faccount");
  await expect(techPage).toHaveURL(/\/account$/);
  await visit(techPage, "/sign-in?next=%2F%2Fevil.example%2F");
  await expect(techPage).toHaveURL(/localhost:\d+\/overview$/);
});

test("a technician cannot reach admin pages, in the UI or by direct request", async () => {
  await expect(nav(techPage).getByRole("link", { name: "Members" })).toHaveCount(0);
  await expect(nav(techPage).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  for (const path of ["/members", "/audit"]) {
    const res = await visit(techPage, path);
    expect(res?.status()).toBe(404);
    // The same page as an address that leads nowhere: the page's existence is not confirmed.
    await expect(techPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  await techPage.screenshot({ path: "docs/screenshots/not-found.png" });
  const origin = new URL(techPage.url()).origin;
  const invite = await techPage.request.post("/api/members/invites", {
    headers: { origin },
    data: { email: "sneaky@northwind.example", displayName: "Sneaky", role: "admin" },
  });
  expect(invite.status()).toBe(403);
  expect((await techPage.request.get("/api/audit/export")).status()).toBe(403);
  await visit(techPage, "/overview");
});

test("the owner names a passkey on the account page and sees their sessions", async () => {
  await nav(ownerPage).getByRole("link", { name: "Your account" }).click();
  ownerPage.once("dialog", (dialog) => dialog.accept("Laptop passkey"));
  await ownerPage.getByTestId("passkeys-table").getByRole("button", { name: "Rename" }).click();
  await expect(ownerPage.getByTestId("passkeys-table")).toContainText("Laptop passkey");
  await expect(ownerPage.getByTestId("passkeys-table").getByRole("button", { name: "Remove" })).toBeDisabled();
  await expect(ownerPage.getByTestId("sessions-table")).toContainText("This session");
  await ownerPage.screenshot({ path: "docs/screenshots/account.png", fullPage: true });
});

test("the owner disables the technician and the technician's open session dies", async () => {
  // Age the owner's last passkey check so disabling asks for a fresh one (step-up) in the browser.
  const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });
  await sql`update sessions set stepped_up_at = now() - interval '10 minutes' where ended_at is null`;
  await sql.end();
  await visit(ownerPage, "/members");
  await ownerPage.screenshot({ path: "docs/screenshots/members.png", fullPage: true });
  const row = ownerPage.getByTestId(`member-${tech.email}`);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByText("Disabled")).toBeVisible();
  await techPage.reload();
  await expect(techPage).toHaveURL(/\/sign-in\?next=%2Foverview$/);
  const api = await techPage.request.get("/api/audit/export");
  expect(api.status()).toBe(401);
});

test("the audit log shows what happened, and exports CSV", async () => {
  await nav(ownerPage).getByRole("link", { name: "Audit log" }).click();
  const table = ownerPage.getByTestId("audit-table");
  for (const action of ["setup.completed", "auth.signed_in", "member.invited", "member.joined", "auth.step_up", "member.disabled"]) {
    await expect(table.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await ownerPage.getByLabel("Action starts with").fill("member.");
  await ownerPage.getByRole("button", { name: "Apply" }).click();
  await expect(ownerPage).toHaveURL(/action=member\./);
  await expect(table.getByText("auth.signed_in")).toHaveCount(0);
  const csv = await ownerPage.request.get("/api/audit/export?action=member.");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text.split("\n")[0]).toContain("seq,occurred_at");
  expect(text).toContain("member.disabled");
});
