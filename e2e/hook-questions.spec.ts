import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { createAccessHook } from "@/lib/services/hooks/create";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor, inviteMember, seedMspDirectly, type TestMsp } from "@/test/factories";
import { startReceiver } from "@/test/webhook-receiver";
import { jitReadySandboxCustomer } from "./support/sandbox-customer";
import { visit } from "./support/visit";

/**
 * A policy's webhook hook asks the technician for a one-time code before it decides: the request form shows the
 * question (typed unseen), sends the answer back with the request, and the request goes through; the code reaches
 * the hook and nothing else. A hook that refuses shows its message.
 */
test.describe.configure({ mode: "serial" });

const CUSTOMER = "Tailspin Toys";
const OTHER_CUSTOMER = "Wingtip Toys";
let msp: TestMsp;
let techPage: Page;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 2 });

test.beforeAll(async ({ browser, baseURL }) => {
  receiver = await startReceiver();
  msp = await seedMspDirectly({ mspName: "Hook questions MSP" });
  const technician = await inviteMember(msp.owner, "technician", { displayName: "Hana Helpdesk" });
  const level = await createAccessLevel(contextFor(msp.owner), { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
  await jitReadySandboxCustomer(msp, technician.id, level.id, CUSTOMER, "password");
  await jitReadySandboxCustomer(msp, technician.id, level.id, OTHER_CUSTOMER, "password");
  const policy = await createAccessPolicy(contextFor(msp.owner), { name: "Token check" });
  await createAccessHook(contextFor(msp.owner, { stepUp: "fresh" }), policy.id, { kind: "webhook", name: "Token service", events: ["authenticate"], url: receiver.url });
  const context = await browser.newContext();
  await context.addCookies([{ name: "stint_session", value: technician.session.token, url: baseURL! }]);
  techPage = await context.newPage();
});

test.afterAll(async () => {
  await receiver.close();
  await sql.end();
  await closeDb();
});

async function fillRequest(customer: string) {
  await visit(techPage, "/access/request");
  await techPage.getByLabel("Customer").selectOption({ label: `${customer} (Sandbox — emulated tenant)` });
  await expect(techPage.getByRole("checkbox", { name: /Helpdesk/ })).toBeChecked();
  await techPage.getByLabel("Justification").fill("Ticket 9001: unlock the finance team's shared mailbox");
}

test("the hook's question is asked in the form, answered unseen, and the request goes through", async () => {
  const otp = "271828";
  receiver.answer(
    { json: { verdict: "NEEDINFO", message: "Confirm with the code from your token.", questions: [{ key: "otp", prompt: "One-time code", hidden: true }] } },
    { json: { verdict: "ACCEPT", additional_metadata: "token verified" } },
  );
  await fillRequest(CUSTOMER);
  await techPage.getByRole("button", { name: "Request access" }).click();

  const questions = techPage.getByTestId("hook-questions");
  await expect(questions).toContainText("Token service asks");
  await expect(questions).toContainText("Confirm with the code from your token.");
  const code = questions.getByLabel("One-time code");
  await expect(code).toHaveAttribute("type", "password");
  await code.fill(otp);
  await techPage.screenshot({ path: "docs/screenshots/request-hook-question-desktop.png", fullPage: true });
  await techPage.setViewportSize({ width: 390, height: 844 });
  await techPage.screenshot({ path: "docs/screenshots/request-hook-question-mobile.png", fullPage: true });
  await techPage.setViewportSize({ width: 1280, height: 720 });
  await techPage.getByRole("button", { name: "Send answers" }).click();

  await expect(techPage).toHaveURL(/\/access#grant-gr_/);
  await expect(techPage.getByTestId("live-grant")).toContainText(CUSTOMER);
  expect(JSON.parse(receiver.requests.at(-1)!.body).key_value_pairs).toEqual({ otp });
  const [leaks] = await sql`
    select (select count(*) from audit_events where metadata::text like ${`%${otp}%`})
         + (select count(*) from grants where row_to_json(grants)::text like ${`%${otp}%`}) as n`;
  expect(Number(leaks!.n)).toBe(0);
});

test("a hook that refuses shows its message, and nothing is requested", async () => {
  receiver.answer({ json: { verdict: "DENY", message: "Your token is locked; call the service desk." } });
  await fillRequest(OTHER_CUSTOMER);
  await techPage.getByRole("button", { name: "Request access" }).click();
  await expect(techPage.getByRole("alert").filter({ hasText: "Token service: Your token is locked; call the service desk." })).toBeVisible();
  await expect(techPage.getByTestId("hook-questions")).toHaveCount(0);
});
