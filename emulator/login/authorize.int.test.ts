import { createHash, randomBytes } from "node:crypto";
import { decodeJwt, importJWK, jwtVerify, type JWK } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";
import type { HttpResponse } from "../testing/https-client";

let t: TestEmulator;
let setup: TenantApp;
let admin: string;
const redirectUri = "https://stint.test/consent/callback";

beforeAll(async () => {
  t = await startTestEmulator();
  setup = await t.tenantWithApp({ consented: false });
  admin = t.emulator.control.addUser(setup.tenant.id, { userPrincipalName: `admin@${setup.domain}`, displayName: "Ada Admin", roles: ["Global Administrator"] }).userPrincipalName;
});
afterAll(() => t.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function authorizeUrl(tenant: string, params: Record<string, string>): string {
  return `${t.emulator.url}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`;
}

/** A complete, valid authorize request (what MSAL's getAuthCodeUrl sends, minus its telemetry). */
function request(overrides: Record<string, string> = {}, app = setup) {
  const codes = pkce();
  const params = {
    client_id: app.app.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    response_mode: "query",
    scope: "openid profile offline_access",
    state: "st-1",
    nonce: "n-0S6_WzA2Mj",
    code_challenge: codes.challenge,
    code_challenge_method: "S256",
    client_info: "1",
    ...overrides,
  };
  return { params, verifier: codes.verifier };
}

function formOf(page: HttpResponse): { action: string; ctx: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const ctx = /name="ctx" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
  return { action: `${t.emulator.url}${action}`, ctx };
}

/** Opens the sign-in page and submits it; returns the emulator's answer to the form. */
async function submit(url: string, form: { loginfmt?: string; action: "Sign in" | "Cancel" }): Promise<HttpResponse> {
  const page = await t.http(url);
  expect(page.status, page.text).toBe(200);
  const { action, ctx } = formOf(page);
  return t.http(action, { form: { ctx, ...form } });
}

/** Signs in as `upn` and returns the redirect's parameters. */
async function signIn(url: string, upn = admin): Promise<Record<string, string>> {
  const response = await submit(url, { loginfmt: upn, action: "Sign in" });
  expect(response.status, response.text).toBe(302);
  const location = new URL(response.headers.location ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return Object.fromEntries(location.searchParams);
}

function redeem(tenant: string, form: Record<string, string>, app = setup): Promise<HttpResponse> {
  return t.http(`${t.emulator.url}/${tenant}/oauth2/v2.0/token`, {
    form: { grant_type: "authorization_code", client_id: app.app.clientId, client_secret: app.secret, redirect_uri: redirectUri, scope: "openid profile offline_access", ...form },
  });
}

function stsError(response: HttpResponse) {
  const body = response.json<{ error: string; error_codes: number[]; error_description: string }>();
  return { status: response.status, error: body.error, code: body.error_codes[0], description: body.error_description };
}

function redirectError(response: HttpResponse): Record<string, string | undefined> {
  expect(response.status, response.text).toBe(302);
  const params: Record<string, string | undefined> = Object.fromEntries(new URL(response.headers.location ?? "").searchParams);
  return { ...params, code: /^AADSTS(\d+):/.exec(params.error_description ?? "")?.[1] };
}

describe("authorize endpoint: the request", () => {
  it("is advertised by discovery, per tenant and for organizations", async () => {
    const tenantConfig = await t.http(`${t.emulator.url}/${setup.domain}/v2.0/.well-known/openid-configuration`);
    expect(tenantConfig.json().authorization_endpoint).toBe(`${t.emulator.url}/${setup.tenant.id}/oauth2/v2.0/authorize`);
    const organizations = await t.http(`${t.emulator.url}/organizations/v2.0/.well-known/openid-configuration`);
    expect(organizations.json().authorization_endpoint).toBe(`${t.emulator.url}/organizations/oauth2/v2.0/authorize`);
  });

  it("shows a sign-in page with a labelled account field, Sign in and Cancel, and the tenant's accounts", async () => {
    const page = await t.http(authorizeUrl(setup.tenant.id, request({ login_hint: admin }).params));
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.text).toContain('<label for="i0116">Email address</label>');
    expect(page.text).toMatch(/<input type="email" id="i0116" name="loginfmt"[^>]*value="admin@/);
    expect(page.text).toContain('id="idSIButton9" class="primary" name="action" value="Sign in"');
    expect(page.text).toContain('id="idBtn_Back" name="action" value="Cancel" formnovalidate');
    expect(page.text).toContain("Stint test app");
    expect(page.text).toContain(setup.tenant.displayName);
    expect(page.text).toContain(`<li><code>${admin}</code></li>`);
    // At `organizations` nobody is listed: the account's domain decides the tenant.
    const organizations = await t.http(authorizeUrl("organizations", request().params));
    expect(organizations.status).toBe(200);
    expect(organizations.text).not.toContain(admin);
  });

  it("shows error pages (no redirect) for an unknown tenant, a missing or unknown client, a missing or unregistered redirect URI", async () => {
    const { params } = request();
    const cases: [string, Record<string, string>, string][] = [
      ["unknown.onmicrosoft.com", params, "AADSTS90002"],
      [setup.tenant.id, { ...params, client_id: "" }, "AADSTS900144"],
      [setup.tenant.id, { ...params, client_id: "5b1a0000-0000-0000-0000-000000000000" }, "AADSTS700016"],
      [setup.tenant.id, { ...params, redirect_uri: "" }, "AADSTS900144"],
      [setup.tenant.id, { ...params, redirect_uri: "https://evil.test/cb" }, "AADSTS50011"],
      // An exact match, as for v2 admin consent: no extra path segments.
      ["organizations", { ...params, redirect_uri: `${redirectUri}/extra` }, "AADSTS50011"],
    ];
    for (const [tenant, query, code] of cases) {
      const response = await t.http(authorizeUrl(tenant, query));
      expect(response.status, code).toBe(400);
      expect(response.text).toContain(code);
      expect(response.headers.location).toBeUndefined();
    }
  });

  it("answers other request errors at the redirect URI, with the state", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ response_type: "" }, "invalid_request", "900144"],
      [{ response_type: "token" }, "unsupported_response_type", "700054"],
      [{ scope: "" }, "invalid_request", "900144"],
      [{ scope: "openid https://outlook.office.com/Mail.Read" }, "invalid_resource", "500011"],
      [{ scope: "openid https://graph.microsoft.com/.default User.Read" }, "invalid_scope", "70011"],
      [{ code_challenge_method: "S512" }, "invalid_request", "50149"],
      [{ code_challenge: "short" }, "invalid_request", "501491"],
      [{ prompt: "none" }, "login_required", "50058"],
      [{ response_mode: "jsonp" }, "invalid_request", "70007"],
    ];
    for (const [overrides, error, code] of cases) {
      const answer = redirectError(await t.http(authorizeUrl("organizations", request({ ...overrides, state: `s-${code}` }).params)));
      expect(answer, JSON.stringify(overrides)).toMatchObject({ error, code, state: `s-${code}`, error_uri: `https://login.microsoftonline.com/error?code=${code}` });
    }
  });
});

describe("authorize endpoint: signing in", () => {
  it("at organizations, finds the tenant from the account's domain and redirects with code, client_info, state and session_state", async () => {
    const params = await signIn(authorizeUrl("organizations", request({ state: "abc" }).params));
    expect(Object.keys(params)).toEqual(["code", "client_info", "state", "session_state"]);
    expect(params.state).toBe("abc");
    expect(params.session_state).toMatch(/^[0-9a-f-]{36}$/);
    const user = t.emulator.control.inspectTenant(setup.tenant.id).users.find((u) => u.userPrincipalName === admin)!;
    expect(JSON.parse(Buffer.from(params.client_info ?? "", "base64url").toString())).toEqual({ uid: user.id, utid: setup.tenant.id });
    // Without client_info=1 there is none.
    const { client_info: _ignored, ...withoutClientInfo } = request().params;
    expect(Object.keys(await signIn(authorizeUrl("organizations", withoutClientInfo)))).toEqual(["code", "state", "session_state"]);
  });

  it("Cancel redirects with access_denied, AADSTS65004, error_uri and state, and no code", async () => {
    const response = await submit(authorizeUrl("organizations", request({ state: "c1" }).params), { action: "Cancel" });
    const answer = redirectError(response);
    expect(answer).toMatchObject({ error: "access_denied", code: "65004", state: "c1", error_uri: "https://login.microsoftonline.com/error?code=65004" });
    expect(answer.error_description).toMatch(/^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: /);
    expect(Object.keys(Object.fromEntries(new URL(response.headers.location ?? "").searchParams))).not.toContain("code");
  });

  it("shows the reason on the page, and lets the user try again, for an unknown, malformed, disabled or foreign account", async () => {
    const other = await t.tenantWithApp({ consented: false });
    const outsider = t.emulator.control.addUser(other.tenant.id, { userPrincipalName: `outsider@${other.domain}`, displayName: "Outsider" }).userPrincipalName;
    const disabled = t.emulator.control.addUser(setup.tenant.id, { userPrincipalName: `gone@${setup.domain}`, displayName: "Gone", accountEnabled: false }).userPrincipalName;

    const page = await t.http(authorizeUrl(setup.tenant.id, request().params));
    const { action, ctx } = formOf(page);
    const attempts: [string, RegExp][] = [
      [`nobody@${setup.domain}`, /This username may be incorrect/],
      ["not-an-email", /Enter a valid email address/],
      [disabled, /AADSTS50057: The user account is disabled\./],
      [outsider, /AADSTS50020: User account &#39;outsider@.*&#39; from identity provider .* does not exist in tenant/],
    ];
    for (const [loginfmt, message] of attempts) {
      const response = await t.http(action, { form: { ctx, loginfmt, action: "Sign in" } });
      expect(response.status, loginfmt).toBe(200);
      expect(response.text).toMatch(/<div id="usernameError" class="error" role="alert">/);
      expect(response.text).toMatch(message);
      expect(response.text).toContain('aria-invalid="true"');
    }
    // The same page still signs in the right account.
    const response = await t.http(action, { form: { ctx, loginfmt: admin, action: "Sign in" } });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.location ?? "").searchParams.get("code")).toBeTruthy();
  });

  it("refuses an unknown or already used sign-in context", async () => {
    const page = await t.http(authorizeUrl("organizations", request().params));
    const { action, ctx } = formOf(page);
    expect((await t.http(action, { form: { ctx, loginfmt: admin, action: "Sign in" } })).status).toBe(302);
    const again = await t.http(action, { form: { ctx, loginfmt: admin, action: "Sign in" } });
    expect(again.status).toBe(400);
    expect(again.text).toContain("AADSTS50089");
  });

  it("answers with a fragment or an auto-submitting form when response_mode asks", async () => {
    const fragment = await submit(authorizeUrl("organizations", request({ response_mode: "fragment", state: "f" }).params), { loginfmt: admin, action: "Sign in" });
    const hash = new URLSearchParams(new URL(fragment.headers.location ?? "").hash.slice(1));
    expect(hash.get("code")).toBeTruthy();
    expect(hash.get("state")).toBe("f");

    const formPost = await submit(authorizeUrl("organizations", request({ response_mode: "form_post", state: "p" }).params), { loginfmt: admin, action: "Sign in" });
    expect(formPost.status).toBe(200);
    expect(formPost.text).toContain(`<form method="post" name="hiddenform" action="${redirectUri}">`);
    expect(formPost.text).toMatch(/<input type="hidden" name="code" value="[^"]+">/);
    expect(formPost.text).toContain('<input type="hidden" name="state" value="p">');
  });
});

describe("token endpoint: authorization_code", () => {
  it("redeems a code for an ID token signed by the published key, and a delegated Graph access token", async () => {
    const { params, verifier } = request({ scope: "openid profile email offline_access" });
    const { code } = await signIn(authorizeUrl("organizations", params));
    const response = await redeem("organizations", { code: code ?? "", code_verifier: verifier, client_info: "1" });
    expect(response.status, response.text).toBe(200);
    expect(response.headers["cache-control"]).toContain("no-store");
    const body = response.json<{ token_type: string; scope: string; expires_in: number; access_token: string; id_token: string; client_info: string; refresh_token?: string }>();
    expect(body).toMatchObject({ token_type: "Bearer", scope: "User.Read openid profile email", expires_in: 3599 });
    expect(body.refresh_token).toBeUndefined();
    expect(body.client_info).toBe(Buffer.from(JSON.stringify({ uid: userId(admin), utid: setup.tenant.id })).toString("base64url"));

    const jwks = (await t.http(`${t.emulator.url}/${setup.tenant.id}/discovery/v2.0/keys`)).json<{ keys: JWK[] }>().keys;
    const { payload, protectedHeader } = await jwtVerify(body.id_token, async (header) => importJWK(jwks.find((k) => k.kid === header.kid)!, "RS256"), {
      issuer: `${t.emulator.url}/${setup.tenant.id}/v2.0`,
      audience: setup.app.clientId,
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({
      tid: setup.tenant.id,
      oid: userId(admin),
      preferred_username: admin,
      name: "Ada Admin",
      nonce: params.nonce,
      ver: "2.0",
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(payload.sub).not.toBe(userId(admin));

    expect(decodeJwt(body.access_token)).toMatchObject({ aud: "https://graph.microsoft.com", tid: setup.tenant.id, appid: setup.app.clientId, idtyp: "user", upn: admin, scp: "User.Read openid profile email" });
    // The emulated Graph authorizes application permissions only.
    const graph = await t.http(`${t.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(graph.status).toBe(403);
  });

  it("is single use: a second redemption gets invalid_grant AADSTS54005", async () => {
    const { params, verifier } = request();
    const { code } = await signIn(authorizeUrl("organizations", params));
    expect((await redeem("organizations", { code: code ?? "", code_verifier: verifier })).status).toBe(200);
    const replay = stsError(await redeem("organizations", { code: code ?? "", code_verifier: verifier }));
    expect(replay).toMatchObject({ status: 400, error: "invalid_grant", code: 54005 });
    expect(replay.description).toMatch(/^AADSTS54005: OAuth2 Authorization code was already redeemed/);
  });

  it("expires after ten minutes: invalid_grant AADSTS70008", async () => {
    const { params, verifier } = request();
    const { code } = await signIn(authorizeUrl("organizations", params));
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(now + 10 * 60_000 + 1);
    expect(stsError(await redeem("organizations", { code: code ?? "", code_verifier: verifier }))).toMatchObject({ error: "invalid_grant", code: 70008 });
  });

  it("checks PKCE: a missing verifier gets AADSTS50148, a wrong one AADSTS501481, and the code is used up", async () => {
    const first = request();
    const { code: a } = await signIn(authorizeUrl("organizations", first.params));
    expect(stsError(await redeem("organizations", { code: a ?? "" }))).toMatchObject({ error: "invalid_grant", code: 50148 });
    expect(stsError(await redeem("organizations", { code: a ?? "", code_verifier: first.verifier }))).toMatchObject({ code: 54005 });

    const second = request();
    const { code: b } = await signIn(authorizeUrl("organizations", second.params));
    expect(stsError(await redeem("organizations", { code: b ?? "", code_verifier: pkce().verifier }))).toMatchObject({ error: "invalid_grant", code: 501481 });

    // `plain` compares the verifier itself; no challenge, no check.
    const verifier = randomBytes(32).toString("base64url");
    const { code: c } = await signIn(authorizeUrl("organizations", request({ code_challenge: verifier, code_challenge_method: "plain" }).params));
    expect((await redeem("organizations", { code: c ?? "", code_verifier: verifier })).status).toBe(200);
    const { code_challenge: _c, code_challenge_method: _m, ...withoutPkce } = request().params;
    const { code: d } = await signIn(authorizeUrl("organizations", withoutPkce));
    expect((await redeem("organizations", { code: d ?? "" })).status).toBe(200);
  });

  it("binds the code to its client, redirect URI and tenant", async () => {
    const other = await t.tenantWithApp({ consented: false });
    const cases: [Record<string, string>, string, TenantApp, number][] = [
      [{}, "organizations", other, 70000],
      [{ redirect_uri: `${redirectUri}/other` }, "organizations", setup, 500112],
      [{}, other.tenant.id, setup, 700005],
    ];
    for (const [form, tenant, app, code] of cases) {
      const { params, verifier } = request();
      const { code: issued } = await signIn(authorizeUrl("organizations", params));
      expect(stsError(await redeem(tenant, { code: issued ?? "", code_verifier: verifier, ...form }, app)), String(code)).toMatchObject({ error: "invalid_grant", code });
    }
    // The tenant's own endpoint, by id or domain, redeems it.
    for (const tenant of [setup.tenant.id, setup.domain]) {
      const { params, verifier } = request();
      const { code: issued } = await signIn(authorizeUrl(setup.tenant.id, params));
      expect((await redeem(tenant, { code: issued ?? "", code_verifier: verifier })).status).toBe(200);
    }
  });

  it("needs the client's credentials, and rejects a missing or unknown code", async () => {
    const { params, verifier } = request();
    const { code } = await signIn(authorizeUrl("organizations", params));
    expect(stsError(await redeem("organizations", { code: code ?? "", code_verifier: verifier, client_secret: "" }))).toMatchObject({ status: 401, error: "invalid_client", code: 7000218 });
    expect(stsError(await redeem("organizations", { code: code ?? "", code_verifier: verifier, client_secret: "wrong" }))).toMatchObject({ status: 401, code: 7000215 });
    // A failed client authentication does not use the code up.
    expect((await redeem("organizations", { code: code ?? "", code_verifier: verifier })).status).toBe(200);

    expect(stsError(await redeem("organizations", {}))).toMatchObject({ error: "invalid_request", code: 900144 });
    expect(stsError(await redeem("organizations", { code: "1.forged" }))).toMatchObject({ error: "invalid_grant", code: 9002313 });
    // Client credentials still need a tenant.
    const atOrganizations = await t.http(`${t.emulator.url}/organizations/oauth2/v2.0/token`, {
      form: { grant_type: "client_credentials", client_id: setup.app.clientId, client_secret: setup.secret, scope: "https://graph.microsoft.com/.default" },
    });
    expect(stsError(atOrganizations)).toMatchObject({ code: 90002 });
  });

  it("puts the nonce in the ID token only when the request had one, profile claims only with `profile`, and no ID token without `openid`", async () => {
    const { params, verifier } = request({ scope: "openid" });
    const { nonce: _nonce, ...withoutNonce } = params;
    const { code } = await signIn(authorizeUrl("organizations", withoutNonce));
    const claims = decodeJwt((await redeem("organizations", { code: code ?? "", code_verifier: verifier })).json<{ id_token: string }>().id_token);
    expect(claims.nonce).toBeUndefined();
    expect(claims.tid).toBe(setup.tenant.id);
    for (const claim of ["oid", "name", "preferred_username"]) expect(claims[claim], claim).toBeUndefined();

    const graphOnly = request({ scope: "User.Read" });
    const { code: plainCode } = await signIn(authorizeUrl("organizations", graphOnly.params));
    const plain = (await redeem("organizations", { code: plainCode ?? "", code_verifier: graphOnly.verifier })).json<Record<string, unknown>>();
    expect(plain.id_token).toBeUndefined();
    expect(plain.scope).toBe("User.Read");
  });

  it("refuses a code whose user was disabled after signing in (AADSTS50057)", async () => {
    const jit = await t.tenantWithApp();
    const leaver = t.emulator.control.addUser(jit.tenant.id, { userPrincipalName: `leaver@${jit.domain}`, displayName: "Leaver" });
    const { params, verifier } = request({}, jit);
    const { code } = await signIn(authorizeUrl("organizations", params), leaver.userPrincipalName);
    expect((await jit.graph("PATCH", `/users/${leaver.id}`, { json: { accountEnabled: false } })).status).toBe(204);
    expect(stsError(await redeem("organizations", { code: code ?? "", code_verifier: verifier }, jit))).toMatchObject({ error: "invalid_grant", code: 50057 });
  });
});

function userId(upn: string): string {
  return t.emulator.control.inspectTenant(setup.tenant.id).users.find((u) => u.userPrincipalName === upn)!.id;
}

