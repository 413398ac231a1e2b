import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

let t: TestEmulator;
let setup: TenantApp;
const redirectUri = "https://stint.test/consent/callback";

beforeAll(async () => {
  t = await startTestEmulator();
  setup = await t.tenantWithApp({ consented: false, permissions: ["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"] });
});
afterAll(() => t.stop());

function consentUrl(version: "v1" | "v2", tenant: string, params: Record<string, string>): string {
  const path = version === "v1" ? "adminconsent" : "v2.0/adminconsent";
  return `${t.emulator.url}/${tenant}/${path}?${new URLSearchParams(params).toString()}`;
}

/** Opens the consent page and presses a button, returning the redirect target. */
async function decide(url: string, action: "Accept" | "Cancel", tenant?: string): Promise<URL> {
  const page = await t.http(url);
  expect(page.status).toBe(200);
  const ctx = /name="ctx" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
  const response = await t.http(`${t.emulator.url}/consent/decision`, { form: { ctx, action, ...(tenant ? { tenant } : {}) } });
  expect(response.status).toBe(302);
  return new URL(response.headers.location ?? "");
}

describe("admin consent", () => {
  it("renders the app name, the requested permissions and Accept/Cancel", async () => {
    const page = await t.http(consentUrl("v2", setup.tenant.id, { client_id: setup.app.clientId, scope: "https://graph.microsoft.com/.default", redirect_uri: redirectUri, state: "s1" }));
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.text).toContain("Stint test app");
    expect(page.text).toContain(setup.tenant.displayName);
    expect(page.text).toContain("User.ReadWrite.All");
    expect(page.text).toContain("Read and write all users&#39; full profiles");
    expect(page.text).toContain('id="idSIButton9"');
    expect(page.text).toContain('id="idBtn_Back"');
  });

  it("v2: Accept redirects with admin_consent=True, tenant, scope and state, and token requests then succeed", async () => {
    expect((await setup.requestToken()).status).toBe(401);
    const target = await decide(
      consentUrl("v2", setup.domain, { client_id: setup.app.clientId, scope: "https://graph.microsoft.com/.default", redirect_uri: redirectUri, state: "abc123" }),
      "Accept",
    );
    expect(`${target.origin}${target.pathname}`).toBe(redirectUri);
    expect([...target.searchParams.keys()]).toEqual(["admin_consent", "tenant", "scope", "state"]);
    expect(Object.fromEntries(target.searchParams)).toEqual({
      admin_consent: "True",
      tenant: setup.tenant.id,
      scope: "https://graph.microsoft.com/.default",
      state: "abc123",
    });
    expect((await setup.requestToken()).status).toBe(200);
    expect(t.emulator.control.inspectTenant(setup.tenant.id).servicePrincipals[0]?.roles).toEqual(["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"]);
  });

  it("v2: Cancel redirects with access_denied, AADSTS65004, error_uri, admin_consent and state, without tenant", async () => {
    const target = await decide(
      consentUrl("v2", setup.tenant.id, { client_id: setup.app.clientId, scope: "https://graph.microsoft.com/.default", redirect_uri: redirectUri, state: "xyz" }),
      "Cancel",
    );
    const params = Object.fromEntries(target.searchParams);
    expect(params.error).toBe("access_denied");
    expect(params.error_description).toMatch(/^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: /);
    expect(params.error_uri).toBe("https://login.microsoftonline.com/error?code=65004");
    expect(params.admin_consent).toBe("True");
    expect(params.state).toBe("xyz");
    expect(params.tenant).toBeUndefined();
  });

  it("v1: Accept redirects with tenant, state and admin_consent=True; Cancel with permission_denied", async () => {
    const fresh = await t.tenantWithApp({ consented: false });
    const accepted = await decide(consentUrl("v1", fresh.tenant.id, { client_id: fresh.app.clientId, redirect_uri: redirectUri, state: "12345" }), "Accept");
    expect([...accepted.searchParams.entries()]).toEqual([
      ["tenant", fresh.tenant.id],
      ["state", "12345"],
      ["admin_consent", "True"],
    ]);
    const cancelled = await decide(consentUrl("v1", fresh.tenant.id, { client_id: fresh.app.clientId, redirect_uri: redirectUri, state: "9" }), "Cancel");
    expect(Object.fromEntries(cancelled.searchParams)).toEqual({ error: "permission_denied", error_description: "The admin canceled the request", state: "9" });
  });

  it("v1 allows extra path segments below a registered redirect URI; v2 wants an exact match", async () => {
    const deeper = `${redirectUri}/extra`;
    expect((await t.http(consentUrl("v1", setup.tenant.id, { client_id: setup.app.clientId, redirect_uri: deeper }))).status).toBe(200);
    const v2 = await t.http(consentUrl("v2", setup.tenant.id, { client_id: setup.app.clientId, redirect_uri: deeper, scope: "https://graph.microsoft.com/.default" }));
    expect(v2.status).toBe(400);
    expect(v2.text).toContain("AADSTS50011");
  });

  it("with `organizations` lets the admin pick the tenant, which the redirect then names", async () => {
    const fresh = await t.tenantWithApp({ consented: false });
    const url = consentUrl("v2", "organizations", { client_id: fresh.app.clientId, scope: "https://graph.microsoft.com/.default", redirect_uri: redirectUri });
    const page = await t.http(url);
    expect(page.text).toContain(`<option value="${fresh.tenant.id}">`);
    const target = await decide(url, "Accept", fresh.tenant.id);
    expect(target.searchParams.get("tenant")).toBe(fresh.tenant.id);
    expect((await fresh.requestToken()).status).toBe(200);
  });

  it("shows error pages (no redirect) for an unknown client, a missing or unregistered redirect URI, an unknown tenant", async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ client_id: "5b1a0000-0000-0000-0000-000000000000", redirect_uri: redirectUri }, setup.tenant.id, "AADSTS700016"],
      [{ client_id: setup.app.clientId }, setup.tenant.id, "AADSTS900144"],
      [{ client_id: setup.app.clientId, redirect_uri: "https://evil.test/cb" }, setup.tenant.id, "AADSTS50011"],
      [{ client_id: setup.app.clientId, redirect_uri: redirectUri }, "unknown.onmicrosoft.com", "AADSTS90002"],
    ];
    for (const [params, tenant, code] of cases) {
      const response = await t.http(consentUrl("v1", tenant, params));
      expect(response.status, code).toBe(400);
      expect(response.text).toContain(code);
    }
  });

  it("v2 redirects with an error when scope is missing or is not /.default", async () => {
    const missing = await t.http(consentUrl("v2", setup.tenant.id, { client_id: setup.app.clientId, redirect_uri: redirectUri, state: "s" }));
    expect(missing.status).toBe(302);
    const missingParams = new URL(missing.headers.location ?? "").searchParams;
    expect(missingParams.get("error")).toBe("invalid_request");
    expect(missingParams.get("error_description")).toMatch(/^AADSTS900144:/);
    expect(missingParams.get("state")).toBe("s");

    const delegated = await t.http(consentUrl("v2", setup.tenant.id, { client_id: setup.app.clientId, redirect_uri: redirectUri, scope: "User.Read" }));
    expect(new URL(delegated.headers.location ?? "").searchParams.get("error")).toBe("invalid_scope");
  });

  it("refuses a decision for an unknown or already used consent context", async () => {
    const url = consentUrl("v1", setup.tenant.id, { client_id: setup.app.clientId, redirect_uri: redirectUri });
    const ctx = /name="ctx" value="([^"]+)"/.exec((await t.http(url)).text)?.[1] ?? "";
    expect((await t.http(`${t.emulator.url}/consent/decision`, { form: { ctx, action: "Accept" } })).status).toBe(302);
    expect((await t.http(`${t.emulator.url}/consent/decision`, { form: { ctx, action: "Accept" } })).status).toBe(400);
  });

  it("tokens carry the permissions of the consent as it is now", async () => {
    const fresh = await t.tenantWithApp({ permissions: ["User.Read.All"] });
    const roles = async () => JSON.parse(Buffer.from((await fresh.token()).split(".")[1] ?? "", "base64url").toString()).roles as string[];
    expect(await roles()).toEqual(["User.Read.All"]);
    t.emulator.control.setConsent(fresh.tenant.id, fresh.app.clientId, { granted: true, roles: ["User.Read.All", "Domain.Read.All"] });
    expect(await roles()).toEqual(["User.Read.All", "Domain.Read.All"]);
  });
});
