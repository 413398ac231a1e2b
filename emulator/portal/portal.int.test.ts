import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";
import type { HttpResponse } from "../testing/https-client";

let t: TestEmulator;
let c: TenantApp;
const upn = "tech@portal.example";

beforeAll(async () => {
  t = await startTestEmulator();
  c = await t.tenantWithApp({
    permissions: ["UserAuthMethod-TAP.ReadWrite.All"],
    tenant: {
      displayName: "Portal Customer",
      domains: ["portal.example"],
      users: [{ userPrincipalName: upn, displayName: "Technician", roles: ["Global Administrator"] }],
      tapPolicy: { state: "enabled" },
    },
  });
});
afterAll(() => t.stop());

/** A request as a browser sends it to https://portal.azure.com when that name is mapped to the emulator. */
function portal(path: string, method = "GET"): Promise<HttpResponse> {
  return t.http(`${t.emulator.url}${path}`, { method, headers: { host: "portal.azure.com" } });
}

/** The same request on the emulator's own name: login.microsoftonline.com is mapped to it too. */
function onEmulator(location: string): string {
  const url = new URL(location);
  return `${t.emulator.url}${url.pathname}${url.search}`;
}

/** The form's fields as a browser posts them (no buttons, nothing disabled). */
function post(page: HttpResponse, values: Record<string, string>): Promise<HttpResponse> {
  const action = /<form [^>]*action="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const [, attrs = ""] of page.text.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || /type="(submit|button|checkbox)"/.test(attrs) || /\sdisabled\b/.test(attrs)) continue;
    fields[name] = /value="([^"]*)"/.exec(attrs)?.[1] ?? "";
  }
  return t.http(`${t.emulator.url}${action}`, { form: { ...fields, ...values } });
}

describe("the emulated Azure portal (Host: portal.azure.com)", () => {
  it("sends the browser to the sign-in page as the portal's client, for a tenant or for organizations", async () => {
    const returnTo = "client_id=c44b4083-3bb0-49c1-b47d-974e53cbdf3c&redirect_uri=https%3A%2F%2Fportal.azure.com%2Fsignin%2Findex%2F";
    for (const [path, tenant] of [[`/${c.tenant.id}`, c.tenant.id], ["/portal.example", "portal.example"], ["/", "organizations"]]) {
      const response = await portal(path ?? "");
      expect(response.status, path).toBe(302);
      expect(response.headers.location).toBe(`https://login.microsoftonline.com/${tenant}/login?${returnTo}`);
    }
  });

  it("takes a pass sign-in back to the portal, which shows the account and tenant once per code", async () => {
    const created = await c.graph("POST", `/users/${upn}/authentication/temporaryAccessPassMethods`, { json: {} });
    const pass = created.json<{ temporaryAccessPass: string }>().temporaryAccessPass;

    const signInPage = await t.http(onEmulator((await portal(`/${c.tenant.id}`)).headers.location ?? ""));
    expect(signInPage.status).toBe(200);
    const passView = await post(signInPage, { loginfmt: upn });
    const kmsi = await post(passView, { accesspass: pass });
    expect(kmsi.text).toContain("Stay signed in?");
    const back = await post(kmsi, {});
    expect(back.status).toBe(302);
    const returned = new URL(back.headers.location ?? "");
    expect(`${returned.origin}${returned.pathname}`).toBe("https://portal.azure.com/signin/index/");

    const home = await portal(`${returned.pathname}${returned.search}`);
    expect(home.status).toBe(200);
    expect(home.text).toContain("<title>Microsoft Azure</title>");
    expect(home.text).toContain(`Signed in as <span id="signedInAs">${upn}</span>`);
    expect(home.text).toContain('<span id="tenantName">Portal Customer</span>');

    const replay = await portal(`${returned.pathname}${returned.search}`);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain("<title>Microsoft Azure</title>");
    expect(replay.text).toContain('<h1 id="portalError">We couldn\'t sign you in</h1>');
    expect((await portal("/signin/index/?code=made-up")).status).toBe(400);
    expect((await portal("/signin/index/")).status).toBe(400);
  });

  it("answers 404 for other paths and 405 for other methods, and logs its requests as the portal surface", async () => {
    expect((await portal("/signin/elsewhere/deep")).status).toBe(404);
    expect((await portal("/signin/index/", "POST")).status).toBe(405);
    // Graph's version segment means nothing on the portal host.
    expect((await portal("/v1.0/users")).status).toBe(404);
    const log = t.emulator.control.requests({ surface: "portal" });
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual(
      expect.arrayContaining([["GET", "/signin/elsewhere/deep", 404], ["POST", "/signin/index/", 405], ["GET", "/v1.0/users", 404]]),
    );
  });
});
