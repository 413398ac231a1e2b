import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";
import type { HttpResponse } from "../testing/https-client";

let t: TestEmulator;
let setup: TenantApp;
const password = "xWwvJ]6NMw+bWH-d";
let upn: string;
let disabledUpn: string;

beforeAll(async () => {
  t = await startTestEmulator();
  setup = await t.tenantWithApp();
  const created = await setup.graph("POST", "/users", { json: newUserBody(setup.domain, "ann") });
  expect(created.status, created.text).toBe(201);
  upn = `ann@${setup.domain}`;
  const disabled = await setup.graph("POST", "/users", { json: newUserBody(setup.domain, "dan", { accountEnabled: false }) });
  expect(disabled.status, disabled.text).toBe(201);
  disabledUpn = `dan@${setup.domain}`;
});
afterAll(() => t.stop());

/** The form's fields as a browser would post them (hidden and text inputs; no buttons). */
function fieldsOf(page: HttpResponse): { action: string; fields: Record<string, string> } {
  const action = /<form [^>]*action="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const match of page.text.matchAll(/<input ([^>]*)>/g)) {
    const attrs = match[1] ?? "";
    const type = /type="([^"]+)"/.exec(attrs)?.[1];
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || type === "submit" || type === "button" || type === "checkbox") continue;
    fields[name] = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
  }
  return { action: `${t.emulator.url}${action}`, fields };
}

async function post(page: HttpResponse, values: Record<string, string>): Promise<HttpResponse> {
  const { action, fields } = fieldsOf(page);
  return t.http(action, { form: { ...fields, ...values } });
}

/** Step 1 as the page's script does it: Next reveals step 2 in place (type=11), then Sign in posts. */
async function signIn(user: string, passwd: string, path = `/${setup.tenant.id}/login`): Promise<HttpResponse> {
  const page = await t.http(`${t.emulator.url}${path}`);
  expect(page.status, page.text).toBe(200);
  return post(page, { loginfmt: user, passwd, type: "11" });
}

function signIns() {
  return t.emulator.control.inspectTenant(setup.tenant.id).signIns;
}

describe("user sign-in page", () => {
  it("has the real page's names and ids, with the password field hidden on step 1", async () => {
    for (const path of [`/${setup.tenant.id}/login`, `/${setup.tenant.id}`, "/common/login"]) {
      const page = await t.http(`${t.emulator.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.text).toMatch(/<form name="f1" id="i0281"[^>]*method="post"[^>]*autocomplete="off"/);
      expect(page.text).toMatch(/<input type="email" name="loginfmt" id="i0116" maxlength="113"[^>]*aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype"/);
      expect(page.text).toMatch(
        /<input name="passwd" type="password" id="i0118" autocomplete="off" class="moveOffScreen" tabindex="-1" aria-hidden="true" data-bind="moveOffScreen, textInput: passwordBrowserPrefill">/,
      );
      expect(page.text).toMatch(/<input type="submit" id="idSIButton9" class="btn btn-block btn-primary"[^>]*value="Next">/);
      expect(page.text).toContain('name="flowToken"');
      expect(page.text).toContain('"sErrorCode":"50058"');
    }
  });

  it("answers a scripts-off Next with the password view", async () => {
    const page = await t.http(`${t.emulator.url}/${setup.tenant.id}/login?login_hint=${encodeURIComponent(upn)}`);
    expect(page.text).toContain(`value="${upn}"`);
    const step2 = await post(page, {});
    expect(step2.status).toBe(200);
    expect(step2.text).toMatch(/<input name="passwd" type="password" id="i0118" autocomplete="off" aria-required="true"/);
    expect(step2.text).toMatch(/id="idSIButton9"[^>]*value="Sign in"/);
    expect(step2.text).toContain('name="type" value="11"');
    const unknown = await post(page, { loginfmt: `nobody@${setup.domain}` });
    expect(unknown.text).toContain('id="usernameError"');
    expect(unknown.text).toContain("This username may be incorrect.");
  });

  it("signs in with the right password, asks to stay signed in, and records it", async () => {
    const before = signIns().length;
    const kmsi = await signIn(upn, password);
    expect(kmsi.status, kmsi.text).toBe(200);
    expect(kmsi.text).toContain("Stay signed in?");
    expect(kmsi.text).toMatch(/<input type="checkbox" id="KmsiCheckboxField" name="DontShowAgain"/);
    expect(kmsi.text).toMatch(/id="idBtn_Back"[^>]*value="No"/);
    expect(kmsi.text).toMatch(/id="idSIButton9"[^>]*value="Yes"/);
    expect(kmsi.text).toContain('"pgid":"KmsiInterrupt"');
    expect(signIns().slice(before)).toMatchObject([{ userPrincipalName: upn, passwordMatched: true, outcome: "password-accepted", kmsi: null }]);

    const done = await post(kmsi, { DontShowAgain: "true" });
    expect(done.status).toBe(200);
    expect(done.text).toContain("You're signed in");
    const records = signIns().slice(before);
    expect(records).toMatchObject([{ userPrincipalName: upn, passwordMatched: true, outcome: "signed-in", kmsi: "yes", dontShowAgain: true }]);
    expect(JSON.stringify(records)).not.toContain(password);

    const replay = await post(kmsi, {});
    expect(replay.status).toBe(400);
  });

  it("records No on the KMSI page (LoginOptions=3, what its No button posts)", async () => {
    const kmsi = await signIn(upn, password, "/common/login");
    const done = await post(kmsi, { LoginOptions: "3" });
    expect(done.text).toContain("You're signed in");
    expect(signIns().at(-1)).toMatchObject({ userPrincipalName: upn, outcome: "signed-in", kmsi: "no", dontShowAgain: false });
  });

  it("refuses a wrong password with the real error text and records it", async () => {
    const page = await signIn(upn, "not-the-password");
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="passwordError"');
    expect(page.text).toContain("Your account or password is incorrect. If you don't remember your password,");
    expect(page.text).toContain("AADSTS50126: Error validating credentials due to invalid username or password.");
    expect(page.text).toContain('"sErrorCode":"50126"');
    expect(signIns().at(-1)).toMatchObject({ userPrincipalName: upn, passwordMatched: false, outcome: "wrong-password", kmsi: null });
    expect(JSON.stringify(signIns())).not.toContain("not-the-password");
    // Same flow, second try: the password view posts again and succeeds.
    const retry = await post(page, { passwd: password });
    expect(retry.text).toContain("Stay signed in?");
  });

  it("refuses a disabled account with AADSTS50057", async () => {
    const page = await signIn(disabledUpn, password);
    expect(page.status).toBe(400);
    expect(page.text).toContain("AADSTS50057: The user account is disabled.");
    expect(signIns().at(-1)).toMatchObject({ userPrincipalName: disabledUpn, passwordMatched: true, outcome: "account-disabled" });
  });

  it("shows the sign-ins through the control API", async () => {
    const response = await t.http(`${t.emulator.url}/_emulator/tenants/${setup.tenant.id}`);
    expect(response.status, response.text).toBe(200);
    const body = response.json<{ signIns: { userPrincipalName: string; passwordMatched: boolean; outcome: string }[] }>();
    expect(body.signIns.map((s) => s.outcome)).toEqual(expect.arrayContaining(["signed-in", "wrong-password", "account-disabled"]));
    expect(response.text).not.toContain(password.replace("]", ""));
  });

  it("keeps the admin sign-in (authorize) form working on the same POST path", async () => {
    const page = await t.http(
      `${t.emulator.url}/${setup.tenant.id}/oauth2/v2.0/authorize?${new URLSearchParams({
        client_id: setup.app.clientId, response_type: "code", redirect_uri: "https://stint.test/consent/callback", scope: "openid",
      }).toString()}`,
    );
    expect(page.status).toBe(200);
    const ctx = /name="ctx" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    const answer = await t.http(`${t.emulator.url}/${setup.tenant.id}/login`, { form: { ctx, loginfmt: upn, action: "Sign in" } });
    expect(answer.status).toBe(302);
  });
});
