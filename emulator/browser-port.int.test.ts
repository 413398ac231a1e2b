import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./testing/harness";

// The pages a person's browser opens, over plain http on loopback; what servers call stays on https only.
let t: TestEmulator;
let browserUrl: string;

beforeAll(async () => {
  t = await startTestEmulator({ browserPort: 0 });
  browserUrl = t.emulator.browserUrl!;
});
afterAll(() => t.stop());

it("serves admin consent and sign-in over http for browsers, and nothing a server calls", async () => {
  expect(browserUrl).toMatch(/^http:\/\/localhost:\d+$/);
  const { tenant, app } = await t.tenantWithApp({ consented: false });
  const consent = await fetch(`${browserUrl}/${tenant.id}/v2.0/adminconsent?client_id=${app.clientId}&scope=${encodeURIComponent("https://graph.microsoft.com/.default")}&redirect_uri=${encodeURIComponent("https://stint.test/consent/callback")}&state=s1`, { redirect: "manual" });
  expect(consent.status).toBeLessThan(400);
  const signIn = await fetch(`${browserUrl}/${tenant.id}/oauth2/v2.0/authorize?client_id=${app.clientId}&response_type=code&scope=openid&redirect_uri=${encodeURIComponent("https://stint.test/consent/callback")}`, { redirect: "manual" });
  expect(signIn.status).toBeLessThan(400);

  for (const [method, path] of [["POST", `/${tenant.id}/oauth2/v2.0/token`], ["GET", "/v1.0/users"], ["GET", "/_emulator/tenants"], ["GET", "/halo/any/api/Tickets/1"]] as const) {
    const res = await fetch(`${browserUrl}${path}`, { method });
    expect(res.status, path).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NotFound", message: "Served over https only." } });
  }
});
