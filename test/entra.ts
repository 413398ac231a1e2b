import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { AppSnapshot, TenantSnapshot, UserSnapshot } from "@/emulator/control/control";
import type { AppSeed, ConsentInput, TenantSeed } from "@/emulator/control/schemas";

type TapPolicySeed = {
  state: "enabled" | "disabled";
  includeTargets: { id: string; targetType?: string }[];
  excludeTargets: { id: string; targetType?: string }[];
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLifetimeInMinutes: number;
  isUsableOnce: boolean;
  defaultLength: number;
};
import type { MisbehaviourInput } from "@/emulator/misbehaviour/settings";
import type { RequestLogEntry } from "@/emulator/state";
import type { ConsentOutcome } from "@/lib/services/connections/complete-consent";

/**
 * The Entra emulator that test/emulator-setup.ts started for this run, driven over HTTP like a browser and
 * a test harness would: its control API (`EMULATOR_CONTROL_URL`), its sign-in and admin-consent pages. Node's fetch
 * trusts the emulator's CA through NODE_EXTRA_CA_CERTS, set before the workers were forked.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration project (test/emulator-setup.ts).`);
  return value;
}

export const emulatorUrl = (): string => required("ENTRA_AUTHORITY_HOST");
export const testClientId = (): string => required("ENTRA_CLIENT_ID");

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${required("EMULATOR_CONTROL_URL")}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control ${method} ${path} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A random label usable in a domain name. */
export const uniqueLabel = (prefix: string): string =>
  `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${randomBytes(4).toString("hex")}`;

/** A new emulated tenant; its default domain is `{label}.onmicrosoft.com` unless `domains` says otherwise. */
export function createTenant(label: string, seed: Partial<TenantSeed> = {}): Promise<TenantSnapshot> {
  const name = uniqueLabel(label);
  return control("POST", "/tenants", { displayName: `${label} (${name})`, domains: [`${name}.onmicrosoft.com`], ...seed });
}

export const inspectTenant = (tenantId: string) => control<TenantSnapshot>("GET", `/tenants/${tenantId}`);

/**
 * Adds a Global Administrator (`{localPart}@{the tenant's .onmicrosoft.com domain}`) to an emulated tenant and returns
 * their UPN, the name to type on the emulator's sign-in page.
 */
export async function addAdmin(tenant: TenantSnapshot, localPart = "admin", seed: { accountEnabled?: boolean } = {}): Promise<string> {
  const domain = tenant.domains.find((d) => d.isInitial)?.id ?? tenant.domains[0]!.id;
  const user = await control<UserSnapshot>("POST", `/tenants/${tenant.id}/users`, {
    userPrincipalName: `${localPart}@${domain}`,
    displayName: `${tenant.displayName} ${localPart}`,
    roles: ["Global Administrator"],
    ...seed,
  });
  return user.userPrincipalName;
}

export const setConsent = (tenantId: string, input: ConsentInput, clientId = testClientId()) =>
  control<unknown>("PUT", `/tenants/${tenantId}/consents/${clientId}`, input);

export const setMisbehaviour = (tenantId: string, input: MisbehaviourInput) => control<unknown>("PUT", `/tenants/${tenantId}/misbehaviour`, input);

/** Merges into the tenant's Temporary Access Pass policy (Microsoft's defaults: disabled, 60–480 min, reusable). */
export const setTapPolicy = (tenantId: string, input: Partial<TapPolicySeed>) => control<unknown>("PUT", `/tenants/${tenantId}/tap-policy`, input);

/** A group of the tenant (only the pass policy's targets look at groups). */
export const addGroup = (tenantId: string, input: { displayName: string; members?: string[] }) =>
  control<{ id: string; displayName: string; members: string[] }>("POST", `/tenants/${tenantId}/groups`, input);

/** Tenant-wide switches: MFA required for role holders everywhere, and a stricter rule on privileged users' methods. */
export const setTenantSettings = (tenantId: string, input: { requireMfaForAdmins?: boolean; restrictAuthMethodsOfPrivilegedUsers?: boolean }) =>
  control<unknown>("PUT", `/tenants/${tenantId}/settings`, input);

export const registerApp = (seed: AppSeed) => control<AppSnapshot>("POST", "/apps", seed);

export function requestLog(filter: { tenantId?: string; surface?: RequestLogEntry["surface"] } = {}): Promise<RequestLogEntry[]> {
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
  return control("GET", `/requests?${query.toString()}`);
}

/** A tenant with Stint's test app consented (every permission it requests unless `roles` says otherwise). */
export async function consentedTenant(label: string, seed: Partial<TenantSeed> = {}, consent: Omit<ConsentInput, "granted"> = {}) {
  const tenant = await createTenant(label, seed);
  await setConsent(tenant.id, { granted: true, ...consent });
  return tenant;
}

/**
 * Opens an admin-consent URL as the admin's browser would and presses Accept or Cancel. On the
 * `organizations` page the admin picks the tenant they administer (`tenantId`); on a tenant's own page the
 * tenant is fixed. Returns the redirect Entra sends the browser to (not followed) and its query.
 */
export async function answerConsentPage(
  redirectUrl: string,
  action: "Accept" | "Cancel",
  options: { tenantId?: string } = {},
): Promise<{ location: URL; query: Record<string, string> }> {
  const page = await fetch(redirectUrl, { redirect: "manual" });
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const form = /<form method="post" action="([^"]+)"/.exec(html);
  const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1];
  expect(form, "the consent page has a form").toBeTruthy();
  expect(ctx, "the consent page carries its context").toBeTruthy();
  const body = new URLSearchParams({ ctx: ctx!, action });
  if (html.includes('<select id="tenant" name="tenant">')) {
    // The tenant chooser (common/organizations): the admin signs in to one of the listed tenants.
    const tenantId = options.tenantId;
    if (!tenantId) throw new Error("the consent page asks which tenant's admin is consenting: pass tenantId");
    expect(html).toContain(`<option value="${tenantId}">`);
    body.set("tenant", tenantId);
  }
  const decision = await fetch(new URL(form![1]!, redirectUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  const location = decision.headers.get("location");
  expect(decision.status, await decision.text()).toBe(302);
  expect(location).toBeTruthy();
  const url = new URL(location!);
  return { location: url, query: Object.fromEntries(url.searchParams) };
}

/** The form of an emulator page: where it posts, and its `ctx`. */
async function openPage(url: string): Promise<{ html: string; action: URL; ctx: string }> {
  const page = await fetch(url, { redirect: "manual" });
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1];
  expect(action, "the page has a form").toBeTruthy();
  expect(ctx, "the page carries its context").toBeTruthy();
  return { html, action: new URL(action!, url), ctx: ctx! };
}

function postForm(url: URL, body: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body).toString() });
}

/**
 * Opens a sign-in (authorize) URL as the admin's browser would, types `upn` and presses "Sign in", or presses
 * "Cancel". Returns the redirect Entra sends the browser to (not followed) and its query.
 */
export async function answerSignInPage(redirectUrl: string, answer: { upn: string } | "Cancel"): Promise<{ location: URL; query: Record<string, string> }> {
  const { action, ctx } = await openPage(redirectUrl);
  const response = await postForm(action, answer === "Cancel" ? { ctx, action: "Cancel" } : { ctx, loginfmt: answer.upn, action: "Sign in" });
  const text = await response.text();
  expect(response.status, text).toBe(302);
  const url = new URL(response.headers.get("location")!);
  return { location: url, query: Object.fromEntries(url.searchParams) };
}

/** Types `upn` on the sign-in page and expects it to refuse: returns the page's error text (`#usernameError`). */
export async function signInPageError(redirectUrl: string, upn: string): Promise<string> {
  const { action, ctx } = await openPage(redirectUrl);
  const response = await postForm(action, { ctx, loginfmt: upn, action: "Sign in" });
  const html = await response.text();
  expect(response.status, html).toBe(200);
  const error = /<div id="usernameError"[^>]*>([^<]*)<\/div>/.exec(html)?.[1];
  expect(error, "the sign-in page shows an error").toBeTruthy();
  return error!.replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&#38;/g, "&");
}

/**
 * The whole connection flow in the admin's browser, from the URL startConsent returned: sign in as `upn` on the
 * sign-in page, hand the answer to the callback (`complete`, i.e. completeConsent), which must say "continue", follow
 * it to the admin-consent page and press Accept or Cancel. Returns the consent answer's query, not yet handed to the
 * callback, so tests can look at it or alter it first. `alterConsentUrl` edits the continue URL before it is opened.
 */
export async function connectThroughPages(
  redirectUrl: string,
  complete: (query: Record<string, string>) => Promise<ConsentOutcome>,
  options: { upn: string; consent?: "Accept" | "Cancel"; alterConsentUrl?: (url: URL) => void },
): Promise<{ signInQuery: Record<string, string>; consentUrl: string; location: URL; query: Record<string, string> }> {
  const signIn = await answerSignInPage(redirectUrl, { upn: options.upn });
  const outcome = await complete(signIn.query);
  if (outcome.ok !== "continue") throw new Error(`the sign-in answer did not continue to consent: ${JSON.stringify(outcome)}`);
  const consentUrl = new URL(outcome.redirectUrl);
  options.alterConsentUrl?.(consentUrl);
  const { location, query } = await answerConsentPage(consentUrl.toString(), options.consent ?? "Accept");
  return { signInQuery: signIn.query, consentUrl: outcome.redirectUrl, location, query };
}
