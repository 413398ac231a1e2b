import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { closeDb } from "@/db/client";
import { systemState } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { listAuditEvents } from "@/lib/services/audit/list";
import { createInvite } from "@/lib/services/invites/create";
import { createToken } from "@/lib/services/tokens/create";
import { generateToken } from "@/lib/tokens/format";
import { contextFor, seedMspDirectly, steppedUpContext, type TestMsp } from "@/test/factories";
import { addVirtualAuthenticator } from "./support/virtual-authenticator";
import { visit } from "./support/visit";

/**
 * The HTTP edge against the real web server (scripts/web-server.ts): the client address is the socket's,
 * whatever X-Forwarded-For says; what Next cannot parse is answered with the envelope; every answer
 * carries the security headers and the console still works under its Content-Security-Policy.
 * Requests go out over node:http so that each can come from its own loopback address (127.0.0.0/8),
 * and the failure limits this spec uses up belong to no other spec's address. It runs after
 * identity.spec.ts, which needs an installation whose setup is still open.
 */
test.describe.configure({ mode: "serial" });

const port = Number(process.env.E2E_PORT ?? 3100);
let msp: TestMsp;
let page: Page;
let cidrToken: string;
const reported: string[] = [];

type Answer = { status: number; headers: IncomingHttpHeaders; text: string; json: { error?: { code: string; message: string; field?: string } } | null };

/** One request with the path exactly as given (no normalisation) from a chosen loopback address. */
function send(method: string, path: string, options: { headers?: Record<string, string>; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { host: `localhost:${port}`, ...options.headers }, localAddress: options.from ?? "127.0.0.1" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          // HTML or empty: json stays null.
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test.beforeAll(async ({ browser }) => {
  msp = await seedMspDirectly({ mspName: "Edge MSP" });
  // Run alone, setup would still be open and send the signed-out to /setup instead of /sign-in.
  await systemTxBypassingRls((tx) => tx.insert(systemState).values({ key: "setup", value: { by: "web-edge.spec" } }).onConflictDoNothing());
  const context = await browser.newContext();
  page = await context.newPage();
  await addVirtualAuthenticator(context, page);
  // Chromium reports every CSP violation as a securitypolicyviolation event and a console error.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __cspViolations?: string[] };
      (w.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (msg) => {
    if (/content security policy/i.test(msg.text())) reported.push(msg.text());
  });
});

test.afterAll(async () => {
  await closeDb();
});

async function expectNoViolations() {
  expect(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])).toEqual([]);
  expect(reported).toEqual([]);
}

test("the console works under its CSP: join with a passkey, sign out and in, create a token behind a step-up", async () => {
  const { link } = await createInvite(await steppedUpContext(msp.owner), { email: "ada@edge-msp.example", displayName: "Ada Admin", role: "admin" });
  const joined = await visit(page, link);
  expect(joined?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  await page.getByRole("button", { name: /register passkey and join/i }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("button", { name: /sign in with a passkey/i }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expectNoViolations();

  // Client-side navigation and a client component's form, with a passkey step-up in the middle.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole("button", { name: "New token" }).click();
  await page.locator("#token-name").fill("Only from the documentation range");
  await page.locator("#token-cidrs").fill("198.51.100.0/24");
  await page.getByRole("button", { name: "Create token" }).click();
  cidrToken = await page.getByLabel("Your new token").inputValue();
  expect(cidrToken).toMatch(/^stp_/);
  await expectNoViolations();
});

test("a token limited to 198.51.100.0/24 is refused from loopback, whatever X-Forwarded-For says", async () => {
  const forged = { "x-forwarded-for": "198.51.100.7", [CLIENT_ADDRESS_HEADER]: "198.51.100.7", forwarded: "for=198.51.100.7" };
  const refused = await send("GET", "/api/v1/me", { headers: { ...bearer(cidrToken), ...forged } });
  expect(refused.status).toBe(401);
  expect(refused.json?.error?.code).toBe("unauthorized");
  // The refusal is audited with the address the request really came from.
  const [event] = await listAuditEvents(contextFor(msp.owner), { action: "token.auth_failed", limit: 1 });
  expect(event).toMatchObject({ reason: "ip_not_allowed", ip: "127.0.0.1" });

  // A token limited to loopback works from there, forged header or not.
  const loopback = await createToken(await steppedUpContext(msp.owner), { name: "Loopback only", scopes: ["grants:read"], expiresInDays: 1, allowedCidrs: ["127.0.0.0/8"] });
  expect((await send("GET", "/api/v1/me", { headers: { ...bearer(loopback.token), ...forged } })).status).toBe(200);
});

test("25 bad tokens from one address hit the failed-token limit, though each forges another address", async () => {
  const from = "127.0.0.77";
  const statuses: number[] = [];
  for (let i = 1; i <= 25; i++) {
    const res = await send("GET", "/api/v1/me", { from, headers: { ...bearer(generateToken("personal")), "x-forwarded-for": `198.51.100.${i}` } });
    statuses.push(res.status);
    if (res.status === 429) expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  }
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
  expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  // The block is the address's: a valid token from it is refused too, from the next address it is not.
  const valid = await createToken(await steppedUpContext(msp.owner), { name: "Valid", scopes: ["grants:read"], expiresInDays: 1 });
  expect((await send("GET", "/api/v1/me", { from, headers: bearer(valid.token) })).status).toBe(429);
  expect((await send("GET", "/api/v1/me", { from: "127.0.0.78", headers: bearer(valid.token) })).status).toBe(200);
});

test("what Next cannot parse is answered with the error envelope, never a bare 500", async () => {
  const trace = await send("TRACE", "/sign-in");
  expect(trace.status).toBe(405);
  expect(trace.json?.error?.code).toBe("method_not_allowed");
  expect(trace.headers.allow).toContain("GET");
  for (const path of ["/api/v1/grants/%ff", "/grants/%c0%af", "/grants/%00", "/api/v1/grants/gr_%00"]) {
    const res = await send("GET", path);
    expect(res.status, path).toBe(400);
    expect(res.json?.error, path).toMatchObject({ code: "bad_request", field: "path" });
  }
  const query = await send("GET", "/audit?action=%00");
  expect(query.json?.error).toMatchObject({ code: "bad_request", field: "query" });
  const notJson = await send("POST", "/api/v1/tokens/report", { headers: { "content-type": "text/plain" } });
  expect(notJson.status).toBe(415);
  expect(notJson.json?.error?.code).toBe("unsupported_media_type");
});

test("security headers on pages, route handlers, static files and refusals", async () => {
  const common = (headers: IncomingHttpHeaders, what: string) => {
    expect(headers["x-content-type-options"], what).toBe("nosniff");
    expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"], what).toBe("DENY");
    expect(headers["strict-transport-security"], what).toBeUndefined(); // APP_URL is http here
  };
  const signIn = await send("GET", "/sign-in");
  common(signIn.headers, "page");
  const csp = String(signIn.headers["content-security-policy"]);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  // Every script of the page carries this response's nonce; a second request gets another.
  const scripts = [...signIn.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect((await send("GET", "/sign-in")).headers["content-security-policy"]).not.toContain(nonce);

  const api = await send("GET", "/api/health");
  common(api.headers, "route handler");
  expect(api.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  const asset = /\/_next\/static\/[^"]+\.js/.exec(signIn.text)![0];
  common((await send("GET", asset)).headers, "static file");
  common((await send("TRACE", "/")).headers, "refusal");
  const missing = await send("GET", "/no-such-page");
  expect(missing.status).toBe(404);
  expect(missing.headers["content-security-policy"]).toMatch(/'nonce-/);
});
