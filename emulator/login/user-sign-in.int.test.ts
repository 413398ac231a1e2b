import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminPortalClientIds } from "../catalog/admin-portals";
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

/** The form's fields as a browser would post them (hidden and text inputs; no buttons, nothing disabled). */
function fieldsOf(page: HttpResponse): { action: string; fields: Record<string, string> } {
  const action = /<form [^>]*action="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const match of page.text.matchAll(/<input ([^>]*)>/g)) {
    const attrs = match[1] ?? "";
    const type = /type="([^"]+)"/.exec(attrs)?.[1];
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || type === "submit" || type === "button" || type === "checkbox" || /\sdisabled\b/.test(attrs)) continue;
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
    expect(signIns().slice(before)).toEqual([
      { at: expect.any(String), userPrincipalName: upn, userId: expect.any(String), method: "password", passwordMatched: true, tapMatched: false, outcome: "password-accepted", kmsi: null, dontShowAgain: false },
    ]);

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

/** Which of the credentials page's views the server rendered visible. */
function visibleView(page: HttpResponse): string[] {
  return ["usernameView", "passwordView", "accessPassView"].filter((id) => page.text.includes(`<div id="${id}">`));
}

describe("Temporary Access Pass on the sign-in page", () => {
  let c: TenantApp;
  const ids: Record<string, string> = {};
  const at = (local: string) => `${local}@${c.domain}`;

  beforeAll(async () => {
    c = await t.tenantWithApp({
      permissions: ["User.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All"],
      tenant: { tapPolicy: { state: "enabled", minimumLifetimeInMinutes: 10 } },
    });
    for (const [local, extra] of [["tia", {}], ["pat", {}], ["ola", {}], ["rex", {}], ["exa", {}], ["dis", { accountEnabled: false }]] as const) {
      const created = await c.graph("POST", "/users", { json: newUserBody(c.domain, local, extra) });
      expect(created.status, created.text).toBe(201);
      ids[local] = created.json<{ id: string }>().id;
    }
  });

  async function newPass(local: string, body: Record<string, unknown> = {}): Promise<string> {
    const response = await c.graph("POST", `/users/${at(local)}/authentication/temporaryAccessPassMethods`, { json: body });
    expect(response.status, response.text).toBe(201);
    return response.json<{ temporaryAccessPass: string }>().temporaryAccessPass;
  }

  function tenantSignIns() {
    return t.emulator.control.inspectTenant(c.tenant.id).signIns;
  }

  /** The scripts-off Next: the username posted without `type`, answered with the view the account needs. */
  async function next(local: string, query = ""): Promise<HttpResponse> {
    const page = await t.http(`${t.emulator.url}/${c.tenant.id}/login${query}`);
    return post(page, { loginfmt: at(local) });
  }

  /** The pass view's Sign in, as a browser posts it (the pass field is enabled only there). */
  async function signInWithPass(local: string, pass: string, query = ""): Promise<HttpResponse> {
    const view = await next(local, query);
    expect(visibleView(view)).toEqual(["accessPassView"]);
    return post(view, { accesspass: pass });
  }

  it("asks a user with a usable pass for it after the username, with the field and links browsers look for", async () => {
    await newPass("tia");
    const view = await next("tia");
    expect(view.status).toBe(200);
    expect(visibleView(view)).toEqual(["accessPassView"]);
    const accessPassView = /<div id="accessPassView">([\s\S]*?)<input name="passwd"/.exec(view.text)?.[1] ?? "";
    expect(accessPassView).toMatch(new RegExp(`<div class="identity" id="displayName" title="${at("tia")}">${at("tia")}</div>`));
    expect(accessPassView).toContain('<div id="loginHeaderAccessPass" role="heading" aria-level="1">Enter Temporary Access Pass</div>');
    expect(accessPassView).toMatch(
      /<input type="password" name="accesspass" id="idTxtBx_AccessPass" autocomplete="off" aria-required="true"\s+aria-label="Enter Temporary Access Pass" placeholder="Temporary Access Pass">/,
    );
    expect(accessPassView).toContain('<a id="idA_TAP_UsePassword" role="link" href="#">Use your password instead</a>');
    expect(view.text).toMatch(/<input name="passwd" type="password" id="i0118" autocomplete="off" class="moveOffScreen" tabindex="-1" aria-hidden="true"/);
    expect(view.text).toContain('<input type="button" id="idBtn_Back" class="btn btn-block" value="Back">');
    expect(view.text).toMatch(/id="idSIButton9"[^>]*value="Sign in"/);
    expect(view.text).toContain('name="type" value="11"');

    const withoutPass = await next("pat");
    expect(visibleView(withoutPass)).toEqual(["passwordView"]);
    expect(withoutPass.text).toMatch(/name="accesspass"[^>]*placeholder="Temporary Access Pass" disabled>/);
    expect(withoutPass.text).toMatch(/<div id="passwordView">\s*<div class="identity" id="displayName"/);
  });

  it("answers GetCredentialType with whether the account exists and has a usable pass", async () => {
    await newPass("tia");
    const page = await t.http(`${t.emulator.url}/${c.tenant.id}/login`);
    expect(page.text).toContain('"urlGetCredentialType":"/common/GetCredentialType"');
    const flowToken = fieldsOf(page).fields.flowToken ?? "";
    const ask = (json: unknown) => t.http(`${t.emulator.url}/common/GetCredentialType`, { json });
    const credentials = (hasAccessPass: boolean) => ({ PrefCredential: 1, HasPassword: true, HasAccessPass: hasAccessPass });
    expect((await ask({ username: ` ${at("tia")} `, flowToken })).json()).toEqual({ Username: at("tia"), IfExistsResult: 0, Credentials: credentials(true) });
    expect((await ask({ username: at("pat"), flowToken })).json()).toEqual({ Username: at("pat"), IfExistsResult: 0, Credentials: credentials(false) });
    expect((await ask({ username: at("nobody"), flowToken })).json()).toEqual({ Username: at("nobody"), IfExistsResult: 1, Credentials: credentials(false) });
    // Without a live flow the account's domain names the tenant, as on `common`.
    expect((await ask({ username: at("tia") })).json()).toMatchObject({ IfExistsResult: 0, Credentials: credentials(true) });
    const garbage = await t.http(`${t.emulator.url}/common/GetCredentialType`, { body: "{not json", headers: { "content-type": "application/json" } });
    expect(garbage.json()).toEqual({ Username: "", IfExistsResult: 1, Credentials: credentials(false) });
  });

  it("signs in with the right pass, records it without the pass, then asks to stay signed in", async () => {
    const pass = await newPass("tia");
    const before = tenantSignIns().length;
    const kmsi = await signInWithPass("tia", pass);
    expect(kmsi.status, kmsi.text).toBe(200);
    expect(kmsi.text).toContain("Stay signed in?");
    expect(tenantSignIns().slice(before)).toMatchObject([
      { userPrincipalName: at("tia"), userId: ids.tia, method: "tap", tapMatched: true, passwordMatched: false, outcome: "tap-accepted", kmsi: null },
    ]);
    const done = await post(kmsi, {});
    expect(done.text).toContain("You're signed in");
    expect(tenantSignIns().at(-1)).toMatchObject({ method: "tap", outcome: "signed-in", kmsi: "yes" });
    expect(JSON.stringify(tenantSignIns())).not.toContain(pass);
  });

  it("shows the pass view again for a wrong or expired pass, and a replaced pass no longer works", async () => {
    const first = await newPass("rex");
    const second = await newPass("rex");
    for (const typed of ["wrong-pass", first]) {
      const again = await signInWithPass("rex", typed);
      expect(again.status).toBe(200);
      expect(visibleView(again)).toEqual(["accessPassView"]);
      expect(again.text).toContain('<div id="accessPassError" class="error" role="alert" aria-live="assertive">The Temporary Access Pass is incorrect or has expired.</div>');
      expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: at("rex"), method: "tap", tapMatched: false, outcome: "wrong-tap" });
    }
    const retry = await post(await signInWithPass("rex", "wrong-pass"), { accesspass: second });
    expect(retry.text).toContain("Stay signed in?");

    const expired = await newPass("exa", { startDateTime: new Date(Date.now() - 11 * 60_000).toISOString(), lifetimeInMinutes: 10 });
    const username = await next("exa");
    expect(visibleView(username)).toEqual(["passwordView"]);
    const refused = await post(username, { accesspass: expired });
    expect(refused.text).toContain("The Temporary Access Pass is incorrect or has expired.");
    expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: at("exa"), tapMatched: true, outcome: "wrong-tap" });
  });

  it("uses up a one-time pass: Graph then reports OneTimeUsed and the page blocks it", async () => {
    const pass = await newPass("ola", { isUsableOnce: true });
    expect((await signInWithPass("ola", pass)).text).toContain("Stay signed in?");
    const [method] = (await c.graph("GET", `/users/${ids.ola}/authentication/temporaryAccessPassMethods`)).json<{ value: { isUsable: boolean; methodUsabilityReason: string }[] }>().value;
    expect(method).toMatchObject({ isUsable: false, methodUsabilityReason: "OneTimeUsed" });
    const username = await next("ola");
    expect(visibleView(username)).toEqual(["passwordView"]);
    const blocked = await post(username, { accesspass: pass });
    expect(blocked.text).toContain('<div id="accessPassError" class="error" role="alert" aria-live="assertive">Temporary Access Pass sign in was blocked due to User Credential Policy.</div>');
    expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: at("ola"), tapMatched: true, outcome: "tap-blocked" });
  });

  it("blocks a pass the policy no longer allows: switched off, user excluded, or multi-use where one-time is now required", async () => {
    const pass = await newPass("pat");
    const blockedBy = async (policy: Parameters<typeof t.emulator.control.setTapPolicy>[1]) => {
      t.emulator.control.setTapPolicy(c.tenant.id, policy);
      try {
        const page = await t.http(`${t.emulator.url}/${c.tenant.id}/login`);
        const blocked = await post(page, { loginfmt: at("pat"), accesspass: pass, type: "11" });
        expect(blocked.text).toContain("Temporary Access Pass sign in was blocked due to User Credential Policy.");
        expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: at("pat"), tapMatched: true, outcome: "tap-blocked" });
      } finally {
        t.emulator.control.setTapPolicy(c.tenant.id, { state: "enabled", excludeTargets: [], isUsableOnce: false });
      }
    };
    await blockedBy({ state: "disabled" });
    const excluded = t.emulator.control.addGroup(c.tenant.id, { displayName: "No TAP", members: [at("pat")] });
    await blockedBy({ excludeTargets: [{ id: excluded.id }] });
    await blockedBy({ isUsableOnce: true });
    expect((await signInWithPass("pat", pass)).text).toContain("Stay signed in?");
  });

  it("refuses a disabled account's right pass with AADSTS50057", async () => {
    const pass = await newPass("dis");
    const page = await signInWithPass("dis", pass);
    expect(page.status).toBe(400);
    expect(page.text).toContain("AADSTS50057: The user account is disabled.");
    expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: at("dis"), tapMatched: true, outcome: "account-disabled" });
  });
});

describe("MFA on admin portals and for administrators", () => {
  let c: TenantApp;
  const portalQuery = (clientId: string) =>
    `?${new URLSearchParams({ client_id: clientId, redirect_uri: "https://portal.azure.com/signin/index/" }).toString()}`;

  beforeAll(async () => {
    c = await t.tenantWithApp({
      permissions: ["User.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All"],
      tenant: {
        tapPolicy: { state: "enabled" },
        users: [
          { userPrincipalName: "exo@mfa.example", displayName: "Exchange admin", password, roles: ["Exchange Administrator"] },
          { userPrincipalName: "plain@mfa.example", displayName: "Plain", password },
        ],
        domains: ["mfa.example"],
      },
    });
  });
  const tenantSignIns = () => t.emulator.control.inspectTenant(c.tenant.id).signIns;

  async function passwordSignIn(user: string, passwd: string, query = ""): Promise<HttpResponse> {
    const page = await t.http(`${t.emulator.url}/${c.tenant.id}/login${query}`);
    return post(page, { loginfmt: user, passwd, type: "11" });
  }

  it("stops a right password on an admin portal's client at More information required", async () => {
    for (const clientId of Object.values(adminPortalClientIds)) {
      const stop = await passwordSignIn("plain@mfa.example", password, portalQuery(clientId.toUpperCase()));
      expect(stop.status, clientId).toBe(200);
      expect(stop.text).toContain('"pgid":"ConvergedProofUpRedirect"');
      expect(stop.text).toContain('<div id="idDiv_ProofUp_Title" role="heading" aria-level="1"><h1>More information required</h1></div>');
      expect(stop.text).toContain("Your organization needs more information to keep your account secure");
      expect(stop.text).toMatch(/<form name="f1" id="i0281" method="get" action="\/proofup">/);
      expect(stop.text).toContain('<input type="submit" id="idSubmit_ProofUp_Redirect" class="btn btn-block btn-primary" value="Next">');
      expect(stop.text).toContain(
        `<a id="idA_ProofUp_DifferentAccount" href="/${c.tenant.id}/login${portalQuery(clientId).replace(/&/g, "&#38;")}">Use a different account</a>`,
      );
      expect(stop.text).not.toContain("Stay signed in?");
      expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: "plain@mfa.example", method: "password", passwordMatched: true, outcome: "mfa-required" });
    }
    const wrong = await passwordSignIn("plain@mfa.example", "not-it", portalQuery(adminPortalClientIds.azurePortal));
    expect(wrong.text).toContain("Your account or password is incorrect.");
    const registration = await t.http(`${t.emulator.url}/proofup?`);
    expect(registration.status).toBe(200);
    expect(registration.text).toContain('<h1 id="proofUpNotEmulated">Registering security info is not emulated</h1>');
  });

  it("with requireMfaForAdmins stops a password of anyone holding a directory role, whatever the app", async () => {
    expect((await passwordSignIn("exo@mfa.example", password)).text).toContain("Stay signed in?");
    t.emulator.control.setTenantSettings(c.tenant.id, { requireMfaForAdmins: true });
    try {
      expect((await passwordSignIn("exo@mfa.example", password)).text).toContain("More information required");
      expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: "exo@mfa.example", outcome: "mfa-required" });
      expect((await passwordSignIn("plain@mfa.example", password)).text).toContain("Stay signed in?");
    } finally {
      t.emulator.control.setTenantSettings(c.tenant.id, { requireMfaForAdmins: false });
    }
  });

  it("lets a pass satisfy MFA, on the portal and for an administrator", async () => {
    t.emulator.control.setTenantSettings(c.tenant.id, { requireMfaForAdmins: true });
    try {
      const created = await c.graph("POST", "/users/exo@mfa.example/authentication/temporaryAccessPassMethods", { json: {} });
      const pass = created.json<{ temporaryAccessPass: string }>().temporaryAccessPass;
      const page = await t.http(`${t.emulator.url}/${c.tenant.id}/login${portalQuery(adminPortalClientIds.azurePortal)}`);
      const view = await post(page, { loginfmt: "exo@mfa.example" });
      const kmsi = await post(view, { accesspass: pass });
      expect(kmsi.text).toContain("Stay signed in?");
      expect(tenantSignIns().at(-1)).toMatchObject({ userPrincipalName: "exo@mfa.example", method: "tap", outcome: "tap-accepted" });
    } finally {
      t.emulator.control.setTenantSettings(c.tenant.id, { requireMfaForAdmins: false });
    }
  });
});

describe("where the sign-in ends", () => {
  it("redirects to the emulated portal with a one-time code, and shows a page for any other redirect_uri", async () => {
    const kmsiFor = async (redirectUri: string) => {
      const page = await t.http(`${t.emulator.url}/${setup.tenant.id}/login?${new URLSearchParams({ client_id: setup.app.clientId, redirect_uri: redirectUri })}`);
      return post(page, { loginfmt: upn, passwd: password, type: "11" });
    };
    const portal = await post(await kmsiFor("https://portal.azure.com/signin/index/"), {});
    expect(portal.status).toBe(302);
    expect(portal.headers.location).toMatch(/^https:\/\/portal\.azure\.com\/signin\/index\/\?code=[\w-]{32}$/);
    for (const elsewhere of ["https://stint.test/consent/callback", "https://portal.azure.com.evil.example/signin/index/", "http://portal.azure.com/"]) {
      const done = await post(await kmsiFor(elsewhere), {});
      expect(done.status, elsewhere).toBe(200);
      expect(done.text).toContain("You're signed in");
    }
  });
});
