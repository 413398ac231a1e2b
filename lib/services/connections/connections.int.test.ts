import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, consentRequests, customers, entraConnections } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import type { TenantSnapshot } from "@/emulator/control/control";
import { runJob } from "@/jobs/registry";
import { requiredGraphPermissions } from "@/lib/entra/permissions";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { env } from "@/lib/env";
import { toErrorBody } from "@/lib/errors";
import { digest, randomBase62 } from "@/lib/ids";
import { systemContext, type ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/customers/create";
import { getCustomer } from "@/lib/services/customers/get";
import { signInReadiness } from "@/lib/services/customers/sign-in-readiness";
import { updateCustomerSettings } from "@/lib/services/customers/update-settings";
import { coreGraphPermissions } from "@/lib/entra/permissions";
import {
  addAdmin,
  addGroup,
  answerConsentPage,
  answerSignInPage,
  connectThroughPages,
  consentedTenant,
  createTenant,
  emulatorUrl,
  inspectTenant,
  requestLog,
  setConsent,
  setTapPolicy,
  signInPageError,
  testClientId,
  uniqueLabel,
} from "@/test/entra";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, superuserSql, type TestMsp } from "@/test/factories";
import { addSandboxCustomer } from "./add-sandbox-customer";
import { checkConnections } from "./check-health";
import { completeConsent, type ConsentOutcome } from "./complete-consent";
import { disconnectCustomer } from "./disconnect";
import { consentCallbackUrl, startConsent } from "./start-consent";

afterAll(closeDb);

const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";
const sortedPermissions = [...requiredGraphPermissions].sort();
const DIFFERENT_TENANT = "Consent came from a different tenant than the administrator who signed in";

let msp: TestMsp;
let ctx: ServiceContext;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Connections MSP" });
  ctx = contextFor(msp.owner);
});

async function newCustomer(label: string, context = ctx) {
  return createCustomer(context, { name: `${label} ${randomBase62(6)}` });
}

async function connectionOf(customerId: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(entraConnections).where(eq(entraConnections.customerId, customerId)));
  return row ?? null;
}

async function customerRow(customerId: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(customers).where(eq(customers.id, customerId)));
  return row!;
}

async function consentRequestOf(state: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(consentRequests).where(eq(consentRequests.stateDigest, digest(state))));
  return row ?? null;
}

/** The service principals of Stint's test app in an emulated tenant (one when it is consented). */
async function inspectConsent(tenant: TenantSnapshot) {
  return (await inspectTenant(tenant.id)).servicePrincipals.filter((sp) => sp.appId === testClientId());
}

async function auditOf(customerId: string, action?: string) {
  return systemTxBypassingRls((tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, customerId), action ? eq(auditEvents.action, action) : undefined))
      .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.seq)),
  );
}

/** The UPN of a Global Administrator of `tenant`, added on first use. */
const admins = new Map<string, string>();
async function adminOf(tenant: TenantSnapshot): Promise<string> {
  let upn = admins.get(tenant.id);
  if (!upn) {
    upn = await addAdmin(tenant);
    admins.set(tenant.id, upn);
  }
  return upn;
}

function refusal(outcome: ConsentOutcome): string {
  if (outcome.ok !== false) throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

/**
 * startConsent, then the admin of `tenant` signs in on the emulator's page, Stint continues to admin consent, and the
 * admin answers the consent page. Returns the consent callback's query (not yet completed).
 */
async function consentThroughPage(customerId: string, action: "Accept" | "Cancel", tenant: TenantSnapshot, context = ctx, options: { alterConsentUrl?: (url: URL) => void } = {}) {
  const { redirectUrl } = await startConsent(context, customerId);
  const flow = await connectThroughPages(redirectUrl, (query) => completeConsent(context, query), { upn: await adminOf(tenant), consent: action, ...options });
  expect(`${flow.location.origin}${flow.location.pathname}`).toBe(consentCallbackUrl());
  return { redirectUrl, ...flow };
}

/** startConsent and the sign-in only (as the admin of `tenant`): returns the consent step's URL and its state. */
async function signedIn(customerId: string, tenant: TenantSnapshot, context = ctx) {
  const { redirectUrl } = await startConsent(context, customerId);
  const { query: signInQuery } = await answerSignInPage(redirectUrl, { upn: await adminOf(tenant) });
  const outcome = await completeConsent(context, signInQuery);
  if (outcome.ok !== "continue") throw new Error(`expected to continue, got ${JSON.stringify(outcome)}`);
  expect(outcome.customerId).toBe(customerId);
  const consentUrl = new URL(outcome.redirectUrl);
  return { redirectUrl, signInQuery, consentUrl, state: consentUrl.searchParams.get("state")! };
}

/** A customer connected to `tenant` through the real flow. */
async function connectedCustomer(label: string, tenant: TenantSnapshot, context = ctx) {
  const customer = await newCustomer(label, context);
  const { query } = await consentThroughPage(customer.id, "Accept", tenant, context);
  expect(await completeConsent(context, query)).toEqual({ ok: true, customerId: customer.id });
  return customer;
}

describe("startConsent", () => {
  it("sends the admin to the emulator's OpenID Connect sign-in: Stint's app, openid profile, code with PKCE S256, a nonce, the callback and a state", async () => {
    const customer = await newCustomer("Start");
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const url = new URL(redirectUrl);
    expect(url.origin).toBe(new URL(emulatorUrl()).origin);
    expect(url.pathname).toBe("/organizations/oauth2/v2.0/authorize");
    const params = url.searchParams;
    expect(params.get("client_id")).toBe(testClientId());
    expect(params.get("response_type")).toBe("code");
    expect(params.get("response_mode")).toBe("query");
    expect(params.get("scope")!.split(" ")).toEqual(expect.arrayContaining(["openid", "profile"]));
    expect(params.get("redirect_uri")).toBe("http://localhost:3000/api/entra/consent/callback");
    expect(params.get("state")).toMatch(/^\S{20,}$/);
    expect(params.get("nonce")).toMatch(/^\S{20,}$/);
    expect(params.get("code_challenge_method")).toBe("S256");
    // The verifier stays with Stint; the browser sees only its hash.
    const row = (await consentRequestOf(params.get("state")!))!;
    expect(row).toMatchObject({ phase: "sign_in", authorityTenant: "organizations", nonce: params.get("nonce"), customerId: customer.id, memberId: msp.owner.id });
    expect(createHash("sha256").update(row.codeVerifier!).digest("base64url")).toBe(params.get("code_challenge"));
    expect(redirectUrl).not.toContain(row.codeVerifier!);
    // A new state, nonce and challenge every time.
    const again = new URL((await startConsent(ctx, customer.id)).redirectUrl).searchParams;
    for (const name of ["state", "nonce", "code_challenge"]) expect(again.get(name)).not.toBe(params.get(name));
    expect((await auditOf(customer.id, "customer.consent_started")).length).toBe(2);
  });

  it("needs customers:manage", async () => {
    const customer = await newCustomer("Start perms");
    const technician = await inviteMember(msp.owner, "technician");
    await expectAppError(startConsent(contextFor(technician), customer.id), "forbidden");
    await expectAppError(completeConsent(contextFor(technician), {}), "forbidden");
  });
});

describe("consent flow", () => {
  it("sign-in, then Accept in the signed-in tenant, connects the customer with the tenant's id, name, verified domains, role catalog and permissions", async () => {
    const label = uniqueLabel("fabrikam");
    const tenant = await createTenant("Fabrikam", {
      displayName: "Fabrikam Inc",
      domains: [`${label}.onmicrosoft.com`, { name: `${label}.example.com`, isVerified: true, isDefault: true }, { name: `new.${label}.example.com`, isVerified: false }],
    });
    const upn = await adminOf(tenant);
    const customer = await newCustomer("Fabrikam");
    const { query, signInQuery, consentUrl } = await consentThroughPage(customer.id, "Accept", tenant);
    expect(signInQuery.code).toBeTruthy();
    // Admin consent is asked in the tenant the administrator signed in to, under a new state.
    const consent = new URL(consentUrl);
    expect(consent.pathname).toBe(`/${tenant.id}/v2.0/adminconsent`);
    expect(consent.searchParams.get("client_id")).toBe(testClientId());
    expect(consent.searchParams.get("scope")).toBe(GRAPH_DEFAULT_SCOPE);
    expect(consent.searchParams.get("redirect_uri")).toBe(consentCallbackUrl());
    expect(consent.searchParams.get("state")).not.toBe(signInQuery.state);
    expect(query).toMatchObject({ admin_consent: "True", tenant: tenant.id, scope: GRAPH_DEFAULT_SCOPE });
    const row = (await consentRequestOf(query.state!))!;
    expect(row).toMatchObject({ phase: "consent", signedInTenantId: tenant.id, signedInUser: upn, codeVerifier: null });

    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });

    const { connection, customer: after } = await getCustomer(ctx, customer.id);
    expect(connection).toMatchObject({
      cloud: "microsoft",
      status: "connected",
      tenantId: tenant.id,
      tenantName: "Fabrikam Inc",
      verifiedDomains: [`${label}.example.com`, `${label}.onmicrosoft.com`],
      defaultDomain: `${label}.example.com`,
      grantedPermissions: sortedPermissions,
      healthOk: true,
      healthDetail: null,
      connectedBy: msp.owner.id,
      disconnectedAt: null,
    });
    expect(connection!.roleDefinitions.length).toBeGreaterThanOrEqual(20);
    expect(connection!.roleDefinitions).toContainEqual({ templateId: GLOBAL_ADMINISTRATOR, displayName: "Global Administrator", isBuiltIn: true });
    expect(connection!.healthCheckedAt).toBeInstanceOf(Date);
    expect(after.upnDomain).toBe(`${label}.example.com`);

    const actions = (await auditOf(customer.id)).map((e) => e.action);
    expect(actions).toEqual(["customer.created", "customer.consent_started", "customer.consent_signed_in", "customer.connected"]);
    const [signIn] = await auditOf(customer.id, "customer.consent_signed_in");
    expect(signIn).toMatchObject({ actorId: msp.owner.id, result: "success", metadata: { tenant: tenant.id, user: upn } });
    const [connected] = await auditOf(customer.id, "customer.connected");
    expect(connected).toMatchObject({ actorId: msp.owner.id, result: "success", metadata: { tenant: tenant.id, tenantName: "Fabrikam Inc", permissions: sortedPermissions } });
  });

  it("Cancel is refused with Entra's reason (AADSTS65004, declined) and audited; nothing is connected", async () => {
    const tenant = await createTenant("Declined");
    const customer = await newCustomer("Declined");
    const { query } = await consentThroughPage(customer.id, "Cancel", tenant);
    expect(query.error).toBe("access_denied");
    expect(query.tenant).toBeUndefined();

    const outcome = await completeConsent(ctx, query);
    expect(outcome).toMatchObject({ ok: false, customerId: customer.id });
    const message = refusal(outcome);
    expect(message).toMatch(/declined/i);
    expect(message).toContain("AADSTS65004");
    expect(message).not.toMatch(/Trace ID|Correlation ID/i);
    expect(await connectionOf(customer.id)).toBeNull();
    const [failed] = await auditOf(customer.id, "customer.connect_failed");
    expect(failed).toMatchObject({ result: "failure", reason: message, metadata: { error: "access_denied" } });
    expect(await auditOf(customer.id, "customer.connected")).toEqual([]);
  });

  it("a cancelled sign-in is refused with Entra's reason and audited; nothing is connected", async () => {
    const customer = await newCustomer("Sign-in cancelled");
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const { location, query } = await answerSignInPage(redirectUrl, "Cancel");
    expect(`${location.origin}${location.pathname}`).toBe(consentCallbackUrl());
    expect(query).toMatchObject({ error: "access_denied", state: new URL(redirectUrl).searchParams.get("state") });
    expect(query.code).toBeUndefined();

    const message = refusal(await completeConsent(ctx, query));
    expect(message).toMatch(/cancelled the sign-in/i);
    expect(message).toContain("AADSTS65004");
    expect(message).not.toMatch(/Trace ID|Correlation ID/i);
    expect(await connectionOf(customer.id)).toBeNull();
    const [failed] = await auditOf(customer.id, "customer.connect_failed");
    expect(failed).toMatchObject({ result: "failure", reason: message, metadata: { error: "access_denied", step: "sign_in" } });
    // The attempt is over: the same answer again does not match.
    expect(await completeConsent(ctx, query)).toMatchObject({ ok: false, customerId: null });
  });

  it("a state is single use: replaying the consent callback, or the sign-in callback, is refused", async () => {
    const tenant = await createTenant("Replay");
    const customer = await newCustomer("Replay");
    const { query, signInQuery } = await consentThroughPage(customer.id, "Accept", tenant);
    expect((await completeConsent(ctx, query)).ok).toBe(true);
    const before = await connectionOf(customer.id);

    for (const replayed of [query, signInQuery]) {
      const replay = await completeConsent(ctx, replayed);
      expect(replay).toMatchObject({ ok: false, customerId: null, message: expect.stringMatching(/does not match a connection you started, or it expired/) });
    }
    expect(await connectionOf(customer.id)).toEqual(before);
    expect((await auditOf(customer.id, "customer.connected")).length).toBe(1);
    expect(await auditOf(customer.id, "customer.reconnected")).toEqual([]);
  });

  it("a sign-in code is single use: replaying it in a new attempt is refused (AADSTS54005)", async () => {
    const tenant = await createTenant("Code replay");
    const customer = await newCustomer("Code replay");
    const { signInQuery } = await signedIn(customer.id, tenant);

    const { redirectUrl } = await startConsent(ctx, customer.id);
    const state = new URL(redirectUrl).searchParams.get("state")!;
    const message = refusal(await completeConsent(ctx, { code: signInQuery.code!, state }));
    expect(message).toMatch(/could not verify the administrator's sign-in/i);
    expect(message).toMatch(/already used/i);
    expect(message).toContain("AADSTS54005");
    expect(await connectionOf(customer.id)).toBeNull();
    const failures = await auditOf(customer.id, "customer.connect_failed");
    expect(failures.at(-1)).toMatchObject({ reason: message, metadata: { step: "sign_in", code: "AADSTS54005" } });
  });

  it("a sign-in code from another attempt is refused: its PKCE challenge belongs to that attempt (AADSTS501481)", async () => {
    const tenant = await createTenant("Code injection");
    const customer = await newCustomer("Code injection");
    // The admin signs in for attempt A; its code never reaches Stint with A's state.
    const first = await startConsent(ctx, customer.id);
    const { query: stolen } = await answerSignInPage(first.redirectUrl, { upn: await adminOf(tenant) });
    // Someone hands that code to the callback of attempt B.
    const second = await startConsent(ctx, customer.id);
    const message = refusal(await completeConsent(ctx, { code: stolen.code!, state: new URL(second.redirectUrl).searchParams.get("state")! }));
    expect(message).toContain("AADSTS501481");
    expect(message).toMatch(/does not belong to this connection attempt/);
    expect(await auditOf(customer.id, "customer.consent_signed_in")).toEqual([]);
  });

  it("a state started by another member or another MSP is refused, and stays usable by its owner", async () => {
    const tenant = await createTenant("Bound state");
    const customer = await newCustomer("Bound state");
    const admin = await inviteMember(msp.owner, "admin");
    const otherMsp = await seedMspDirectly({ mspName: "Connections Other MSP" });

    // The sign-in answer...
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const { query: signInQuery } = await answerSignInPage(redirectUrl, { upn: await adminOf(tenant) });
    expect(await completeConsent(contextFor(admin), signInQuery)).toMatchObject({ ok: false, customerId: null });
    expect(await completeConsent(contextFor(otherMsp.owner), signInQuery)).toMatchObject({ ok: false, customerId: null });
    const next = await completeConsent(ctx, signInQuery);
    if (next.ok !== "continue") throw new Error(`expected to continue, got ${JSON.stringify(next)}`);

    // ...and the consent answer.
    const { query } = await answerConsentPage(next.redirectUrl, "Accept");
    expect(await completeConsent(contextFor(admin), query)).toMatchObject({ ok: false, customerId: null });
    expect(await completeConsent(contextFor(otherMsp.owner), query)).toMatchObject({ ok: false, customerId: null });
    expect(await connectionOf(customer.id)).toBeNull();

    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });
  });

  it("an expired state is refused", async () => {
    const tenant = await createTenant("Expired");
    const customer = await newCustomer("Expired");
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    const sql = superuserSql();
    try {
      const updated = await sql`update consent_requests set expires_at = now() - interval '1 minute' where state_digest = ${digest(query.state!)}`;
      expect(updated.count).toBe(1);
    } finally {
      await sql.end();
    }
    expect(await completeConsent(ctx, query)).toMatchObject({ ok: false, customerId: null, message: expect.stringMatching(/expired/) });
    expect(await connectionOf(customer.id)).toBeNull();
  });

  // The hole this flow closes: the `tenant` of a consent answer can be edited in the browser, and a token for a tenant
  // proves only that Stint's app is consented there, by anyone (e.g. by an MSP that has since disconnected it).
  it("a forged `tenant` naming a consented but unconnected tenant is refused, whether or not the admin signed in", async () => {
    const otherMsp = await seedMspDirectly({ mspName: "Connections Former MSP" });
    const orphan = await createTenant("Orphan");
    const former = await connectedCustomer("Former", orphan, contextFor(otherMsp.owner));
    await disconnectCustomer(contextFor(otherMsp.owner), former.id);
    expect((await inspectConsent(orphan)).length).toBe(1);

    const own = await createTenant("Claimer own");
    const customer = await newCustomer("Claimer");
    // Without signing in: the sign-in state does not take a consent answer.
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const signInState = new URL(redirectUrl).searchParams.get("state")!;
    expect(await completeConsent(ctx, { state: signInState, admin_consent: "True", tenant: orphan.id })).toMatchObject({ ok: false, customerId: null });
    // Signed in to their own tenant: the consent answer must name that tenant.
    const { state } = await signedIn(customer.id, own);
    const message = refusal(await completeConsent(ctx, { state, admin_consent: "True", tenant: orphan.id, scope: GRAPH_DEFAULT_SCOPE }));
    expect(message).toContain(DIFFERENT_TENANT);
    expect(message).toContain(orphan.id);
    expect(message).toContain(own.id);
    expect(await connectionOf(customer.id)).toBeNull();
    const [failed] = await auditOf(customer.id, "customer.connect_failed");
    expect(failed).toMatchObject({ result: "failure", reason: message, metadata: { tenant: orphan.id, signedInTenant: own.id, signedInUser: await adminOf(own) } });
    // No Graph call was made for the orphan tenant on this customer's behalf.
    expect(await auditOf(customer.id, "customer.connected")).toEqual([]);
  });

  it("signing in as an administrator of tenant A, then consenting in tenant B, is refused", async () => {
    const a = await createTenant("Signed in A");
    const b = await consentedTenant("Consented B");
    const customer = await newCustomer("A then B");
    const { query, consentUrl } = await consentThroughPage(customer.id, "Accept", a, ctx, {
      alterConsentUrl: (url) => {
        url.pathname = url.pathname.replace(a.id, b.id);
      },
    });
    expect(new URL(consentUrl).pathname).toBe(`/${a.id}/v2.0/adminconsent`);
    expect(query).toMatchObject({ admin_consent: "True", tenant: b.id });
    const message = refusal(await completeConsent(ctx, query));
    expect(message).toContain(DIFFERENT_TENANT);
    expect(await connectionOf(customer.id)).toBeNull();
  });

  it("a forged callback naming a tenant without Stint's consent is refused with the token error", async () => {
    const victim = await createTenant("Forged victim");
    const customer = await newCustomer("Forged");
    // An administrator of the tenant signed in, but nobody consented; the answer claims they did.
    const { state } = await signedIn(customer.id, victim);
    const outcome = await completeConsent(ctx, { state, admin_consent: "True", tenant: victim.id });
    expect(outcome).toMatchObject({ ok: false, customerId: customer.id });
    const message = refusal(outcome);
    expect(message).toMatch(/could not verify the tenant/i);
    expect(message).toMatch(/admin consent is missing/i);
    expect(message).toContain("AADSTS7000229");
    expect(await connectionOf(customer.id)).toBeNull();
    const [failed] = await auditOf(customer.id, "customer.connect_failed");
    expect(failed).toMatchObject({ result: "failure", metadata: { tenant: victim.id, code: "AADSTS7000229" } });
  });

  it("a forged callback naming a tenant that does not exist is refused: it is not the tenant signed in to", async () => {
    const real = await createTenant("Forged nowhere");
    const customer = await newCustomer("Forged nowhere");
    const { query } = await consentThroughPage(customer.id, "Accept", real);
    const message = refusal(await completeConsent(ctx, { ...query, tenant: randomUUID() }));
    expect(message).toContain(DIFFERENT_TENANT);
    expect(await connectionOf(customer.id)).toBeNull();
  });

  // A tenant is connected at most once per installation (a unique index), so editing `tenant` cannot claim one
  // another MSP holds.
  it("a forged callback naming a tenant that another MSP connected is refused", async () => {
    const otherMsp = await seedMspDirectly({ mspName: "Connections Victim MSP" });
    const victimTenant = await createTenant("Victim");
    await connectedCustomer("Victim", victimTenant, contextFor(otherMsp.owner));
    const customer = await newCustomer("Claimer");
    const { state } = await signedIn(customer.id, await createTenant("Claimer"));
    const outcome = await completeConsent(ctx, { state, admin_consent: "True", tenant: victimTenant.id });
    expect(refusal(outcome)).toContain(DIFFERENT_TENANT);
    expect(await connectionOf(customer.id)).toBeNull();
  });

  it("a reconnect signs in at the connected tenant; an answer for another tenant is refused and the connection is unchanged", async () => {
    const t1 = await createTenant("Reconnect T1");
    const t2 = await consentedTenant("Reconnect T2");
    const customer = await connectedCustomer("Reconnect", t1);
    const before = (await connectionOf(customer.id))!;

    const { redirectUrl, query } = await consentThroughPage(customer.id, "Accept", t1);
    expect(new URL(redirectUrl).pathname).toBe(`/${t1.id}/oauth2/v2.0/authorize`);
    expect(query.tenant).toBe(t1.id);
    // The consent answer edited to name T2.
    expect(refusal(await completeConsent(ctx, { ...query, tenant: t2.id }))).toContain(DIFFERENT_TENANT);
    expect(await connectionOf(customer.id)).toEqual(before);

    // T2's administrator cannot sign in on T1's page...
    const { redirectUrl: pinned } = await startConsent(ctx, customer.id);
    expect(await signInPageError(pinned, await adminOf(t2))).toMatch(/^AADSTS50020: .* does not exist in tenant/);
    // ...and a code from `organizations` is not redeemed at T1 (AADSTS700005).
    const { redirectUrl: reconnect } = await startConsent(ctx, customer.id);
    const elsewhere = new URL(reconnect);
    elsewhere.pathname = elsewhere.pathname.replace(t1.id, "organizations");
    const { query: t2SignIn } = await answerSignInPage(elsewhere.toString(), { upn: await adminOf(t2) });
    expect(refusal(await completeConsent(ctx, t2SignIn))).toContain("AADSTS700005");
    // Had the attempt signed in at `organizations` (here: altered in the database), T2's admin is still refused.
    const { redirectUrl: loose } = await startConsent(ctx, customer.id);
    const looseState = new URL(loose).searchParams.get("state")!;
    const sql = superuserSql();
    try {
      await sql`update consent_requests set authority_tenant = 'organizations' where state_digest = ${digest(looseState)}`;
    } finally {
      await sql.end();
    }
    const looseUrl = new URL(loose);
    looseUrl.pathname = looseUrl.pathname.replace(t1.id, "organizations");
    const { query: looseSignIn } = await answerSignInPage(looseUrl.toString(), { upn: await adminOf(t2) });
    const message = refusal(await completeConsent(ctx, looseSignIn));
    expect(message).toContain(`connected to ${t1.displayName} (${t1.id})`);
    expect(message).toContain(t2.id);
    expect(await connectionOf(customer.id)).toEqual(before);

    // The honest answer for T1 reconnects.
    const { query: again } = await consentThroughPage(customer.id, "Accept", t1);
    expect(await completeConsent(ctx, again)).toEqual({ ok: true, customerId: customer.id });
    expect((await connectionOf(customer.id))!.tenantId).toBe(t1.id);
    expect((await auditOf(customer.id, "customer.reconnected")).length).toBe(1);
  });

  it("reconnecting while a disconnect waits for grants to end calls the disconnect off", async () => {
    const tenant = await createTenant("Reconnect pending");
    const customer = await connectedCustomer("Reconnect pending", tenant);
    const sql = superuserSql();
    try {
      await sql`update entra_connections set disconnect_requested_at = now(), disconnect_requested_by = ${ctx.actor.type === "member" ? ctx.actor.memberId : null} where customer_id = ${customer.id}`;
    } finally {
      await sql.end();
    }
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });
    expect(await connectionOf(customer.id)).toMatchObject({ status: "connected", disconnectRequestedAt: null, disconnectRequestedBy: null });
  });

  it("a tenant already connected to another customer of the MSP is refused", async () => {
    const tenant = await createTenant("Shared");
    const first = await connectedCustomer("Shared first", tenant);
    const second = await newCustomer("Shared second");
    const { query } = await consentThroughPage(second.id, "Accept", tenant);
    const outcome = await completeConsent(ctx, query);
    expect(outcome).toMatchObject({ ok: false, customerId: second.id, message: expect.stringContaining(`already connected to customer ${first.name}`) });
    expect(await connectionOf(second.id)).toBeNull();
    expect((await connectionOf(first.id))!.status).toBe("connected");
  });

  it("a consent missing a permission Stint needs is refused, naming it", async () => {
    const tenant = await createTenant("Partial");
    const customer = await newCustomer("Partial");
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    // Between the page and the callback, the grant loses one application permission.
    await setConsent(tenant.id, { granted: true, roles: requiredGraphPermissions.filter((p) => p !== "User.DeleteRestore.All") });
    const outcome = await completeConsent(ctx, query);
    expect(outcome).toEqual({ ok: false, customerId: customer.id, message: "The consent is missing permissions Stint needs: User.DeleteRestore.All." });
    expect(await connectionOf(customer.id)).toBeNull();
    const [failed] = await auditOf(customer.id, "customer.connect_failed");
    expect(failed).toMatchObject({ reason: refusal(outcome), metadata: { tenant: tenant.id } });
  });

  /** A missing permission that one of readTenant's Graph reads needs (role definitions need RoleManagement.*). */
  async function consentWithoutRoleManagement() {
    const tenant = await createTenant("Partial read");
    const customer = await newCustomer("Partial read");
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    await setConsent(tenant.id, { granted: true, roles: requiredGraphPermissions.filter((p) => p !== "RoleManagement.ReadWrite.Directory") });
    return { customer, outcome: await completeConsent(ctx, query) };
  }

  it("a consent missing a permission that the tenant reads need is still refused, and nothing is connected", async () => {
    const { customer, outcome } = await consentWithoutRoleManagement();
    expect(outcome).toMatchObject({ ok: false, customerId: customer.id });
    expect(await connectionOf(customer.id)).toBeNull();
  });

  it("a consent missing a permission that the tenant reads need names the missing permission", async () => {
    const { outcome } = await consentWithoutRoleManagement();
    expect(outcome).toMatchObject({ ok: false, message: "The consent is missing permissions Stint needs: RoleManagement.ReadWrite.Directory." });
  });

  it("connects through a throttled, slow and flaky Graph", async () => {
    const tenant = await createTenant("Throttled", {
      // One resource unit per 200 ms (Retry-After ≈ 0.2 s), the first two Graph requests fail with 503, 30 ms latency.
      misbehaviour: { throttle: { quotaScale: 1 / 3500, windowScale: 0.02 }, faults: { next: 2, status: 503 }, latencyMs: 30 },
    });
    const customer = await newCustomer("Throttled");
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    const since = new Date().toISOString();
    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });
    expect((await connectionOf(customer.id))!).toMatchObject({ status: "connected", tenantId: tenant.id, grantedPermissions: sortedPermissions });
    const statuses = (await requestLog({ tenantId: tenant.id, surface: "graph" })).filter((e) => e.at >= since).map((e) => e.status);
    expect(statuses.filter((s) => s === 503).length).toBe(2);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
  });
});

describe("the tenant's Temporary Access Pass policy", () => {
  it("is read at connect; a tenant that allows passes gets the pass method, and its facts are stored", async () => {
    const tenant = await createTenant("Pass enabled", { tapPolicy: { state: "enabled", maximumLifetimeInMinutes: 240 } });
    const customer = await connectedCustomer("Pass enabled", tenant);
    const { customer: after, connection } = await getCustomer(ctx, customer.id);
    expect(connection!.tapPolicy).toEqual({
      state: "enabled",
      includeTargets: ["all_users"],
      excludeTargets: [],
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 240,
      defaultLifetimeInMinutes: 60,
      isUsableOnce: false,
    });
    expect(connection!.tapPolicyReadAt).toBeInstanceOf(Date);
    expect(after.signInMethod).toBe("tap");
    expect(signInReadiness(after, connection)).toEqual({
      method: "tap",
      problems: [],
      notes: [expect.stringMatching(/at most 240 minutes.*480 minutes/)],
    });
    const [connected] = await auditOf(customer.id, "customer.connected");
    expect(connected!.metadata).toMatchObject({ signInMethod: "tap" });
  });

  it("a tenant with passes disabled (Microsoft's default) gets the password method, and says why and what to change", async () => {
    const tenant = await createTenant("Pass disabled");
    const customer = await connectedCustomer("Pass disabled", tenant);
    const { customer: after, connection } = await getCustomer(ctx, customer.id);
    expect(after.signInMethod).toBe("password");
    expect(connection!.tapPolicy).toMatchObject({ state: "disabled" });
    const readiness = signInReadiness(after, connection)!;
    expect(readiness).toMatchObject({ method: "password", problems: [{ code: "disabled" }] });
    expect(readiness.problems[0]!.fix).toMatch(/enables it for All users/);
  });

  it("an admin's choice stays: a reconnect does not switch it, and the health check reads the policy again", async () => {
    const tenant = await createTenant("Pass chosen", { tapPolicy: { state: "enabled" } });
    const customer = await connectedCustomer("Pass chosen", tenant);
    const settings = await customerRow(customer.id);
    await updateCustomerSettings(ctx, customer.id, { ...settings, signInMethod: "tap" });
    await setTapPolicy(tenant.id, { state: "disabled" });
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });
    expect((await customerRow(customer.id)).signInMethod).toBe("tap");

    const pilots = await addGroup(tenant.id, { displayName: "TAP pilots" });
    await setTapPolicy(tenant.id, { state: "enabled", includeTargets: [{ id: pilots.id, targetType: "group" }] });
    const checkMsp = msp.mspId;
    await checkConnections(systemContext(checkMsp, "connection.check"));
    const { customer: after, connection } = await getCustomer(ctx, customer.id);
    expect(connection!.tapPolicy).toMatchObject({ state: "enabled", includeTargets: [expect.not.stringMatching(/all_users/)] });
    expect(signInReadiness(after, connection)).toMatchObject({ method: "tap", problems: [{ code: "limited_to_groups" }] });
  });

  it("a consent without the pass permissions connects, keeps passwords, and says to reconnect", async () => {
    const tenant = await createTenant("Old consent", { tapPolicy: { state: "enabled" } });
    const customer = await newCustomer("Old consent");
    const { query } = await consentThroughPage(customer.id, "Accept", tenant);
    await setConsent(tenant.id, { granted: true, roles: [...coreGraphPermissions] });
    expect(await completeConsent(ctx, query)).toEqual({ ok: true, customerId: customer.id });
    const { customer: after, connection } = await getCustomer(ctx, customer.id);
    expect(connection).toMatchObject({ status: "connected", healthOk: true, tapPolicy: null });
    expect(after.signInMethod).toBe("password");
    expect(signInReadiness({ ...after, signInMethod: "tap" }, connection)).toMatchObject({ method: "password", problems: [{ code: "reconsent_needed" }] });
  });
});

describe("bad callback input", () => {
  it("a missing or unknown state is refused without touching anything", async () => {
    for (const query of [{}, { state: "" }, { state: "garbage" }, { state: randomBase62(43), tenant: randomUUID(), admin_consent: "True" }, { state: randomBase62(43), code: "1.abc" }]) {
      expect(await completeConsent(ctx, query)).toMatchObject({ ok: false, customerId: null });
    }
  });

  it("a tenant that is missing or not a GUID is refused", async () => {
    const tenant = await createTenant("Bad tenant");
    const customer = await newCustomer("Bad tenant");
    for (const bad of [undefined, "organizations", "contoso.onmicrosoft.com", "' or 1=1 --", `${randomUUID()}x`]) {
      const { state } = await signedIn(customer.id, tenant);
      const outcome = await completeConsent(ctx, { state, admin_consent: "True", ...(bad === undefined ? {} : { tenant: bad }) });
      expect(outcome).toEqual({ ok: false, customerId: customer.id, message: "Entra did not say which tenant consented." });
    }
    expect(await connectionOf(customer.id)).toBeNull();
  });

  it("an error without a description is reported as Entra's error code, at either step", async () => {
    const tenant = await createTenant("Bare error");
    const customer = await newCustomer("Bare error");
    const { state } = await signedIn(customer.id, tenant);
    expect(await completeConsent(ctx, { state, error: "server_error" })).toEqual({ ok: false, customerId: customer.id, message: "server_error" });
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const signInState = new URL(redirectUrl).searchParams.get("state")!;
    expect(await completeConsent(ctx, { state: signInState, error: "server_error" })).toEqual({
      ok: false,
      customerId: customer.id,
      message: "The sign-in did not complete: server_error",
    });
  });

  it("overlong or malformed parameters are a validation error (422), never a 500", async () => {
    const tenant = await createTenant("Overlong");
    const customer = await newCustomer("Overlong");
    const { redirectUrl } = await startConsent(ctx, customer.id);
    const state = new URL(redirectUrl).searchParams.get("state")!;
    const bad: unknown[] = [
      { state: "x".repeat(201) },
      { state, tenant: "x".repeat(201) },
      { state, code: "c".repeat(8193) },
      { state, error: "access_denied", error_description: "d".repeat(4001) },
      { state, admin_consent: "True".repeat(10) },
      { state: ["a", "b"] },
      { state, code: ["a", "b"] },
      null,
      "state=abc",
    ];
    for (const query of bad) {
      const error = await completeConsent(ctx, query).then(
        (outcome) => {
          throw new Error(`expected a refusal, got ${JSON.stringify(outcome)}`);
        },
        (e: unknown) => e,
      );
      const { status, body } = toErrorBody(error);
      expect(status, body.error.message).toBe(422);
      expect(body.error.code).toBe("validation_failed");
    }
    // None of them used up the state: the attempt goes through.
    const { query } = await connectThroughPages(redirectUrl, (q) => completeConsent(ctx, q), { upn: await adminOf(tenant) });
    expect((await completeConsent(ctx, query)).ok).toBe(true);
  });
});

describe("health checks", () => {
  let healthMsp: TestMsp;
  let tenant: TenantSnapshot;
  let customerId: string;
  beforeAll(async () => {
    healthMsp = await seedMspDirectly({ mspName: "Health MSP" });
    tenant = await createTenant("Health");
    customerId = (await connectedCustomer("Health", tenant, contextFor(healthMsp.owner))).id;
  });

  const healthEvents = () =>
    systemTxBypassingRls((tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.mspId, healthMsp.mspId), eq(auditEvents.targetId, customerId)))
        .orderBy(asc(auditEvents.seq)),
    ).then((rows) => rows.filter((e) => e.action.startsWith("connection.")));

  it("a healthy connection is marked ok with the time of the check", async () => {
    const before = new Date();
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 0 });
    const row = (await connectionOf(customerId))!;
    expect(row).toMatchObject({ healthOk: true, healthDetail: null });
    expect(row.healthCheckedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
    expect(await healthEvents()).toEqual([]);
  });

  it("a revoked consent is unhealthy with Entra's explanation (despite MSAL's token cache), and audited once", async () => {
    await setConsent(tenant.id, { granted: false });
    expect(await runJob({ name: "connection.check", data: { mspId: healthMsp.mspId } })).toEqual({ checked: 1, unhealthy: 1 });
    const row = (await connectionOf(customerId))!;
    expect(row.healthOk).toBe(false);
    expect(row.healthDetail).toMatch(/admin consent is missing or was revoked/i);
    expect(row.healthDetail).toContain("AADSTS7000229");
    expect(row.status).toBe("connected");

    // A second failing check does not repeat the audit event.
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 1 });
    const events = await healthEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "connection.unhealthy", actorType: "system", actorId: "connection.check", result: "failure", reason: row.healthDetail });
  });

  it("a re-granted consent recovers, audited", async () => {
    await setConsent(tenant.id, { granted: true });
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 0 });
    expect((await connectionOf(customerId))!).toMatchObject({ healthOk: true, healthDetail: null });
    expect((await healthEvents()).map((e) => [e.action, e.result])).toEqual([
      ["connection.unhealthy", "failure"],
      ["connection.recovered", "success"],
    ]);
  });

  it("a permission removed later is unhealthy, naming it", async () => {
    await setConsent(tenant.id, { granted: true, roles: requiredGraphPermissions.filter((p) => p !== "User.DeleteRestore.All") });
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 1 });
    const row = (await connectionOf(customerId))!;
    expect(row.healthDetail).toBe("Permissions missing: User.DeleteRestore.All. Reconnect to grant them.");
    expect(row.grantedPermissions).not.toContain("User.DeleteRestore.All");
    await setConsent(tenant.id, { granted: true });
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 0 });
  });

  it("disconnect marks the connection disconnected and audits it; again is not_found; checks skip it", async () => {
    const owner = contextFor(healthMsp.owner);
    await disconnectCustomer(owner, customerId);
    const row = (await connectionOf(customerId))!;
    expect(row.status).toBe("disconnected");
    expect(row.disconnectedAt).toBeInstanceOf(Date);
    const [event] = await systemTxBypassingRls((tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.targetId, customerId), eq(auditEvents.action, "customer.disconnected"))),
    );
    expect(event).toMatchObject({ actorId: healthMsp.owner.id, result: "success", metadata: { tenant: tenant.id } });
    await expectAppError(disconnectCustomer(owner, customerId), "not_found");
    expect(await checkConnections(systemContext(healthMsp.mspId, "connection.check"))).toEqual({ checked: 0, unhealthy: 0 });
  });
});

describe("sandbox customer", () => {
  let sandboxMsp: TestMsp;
  beforeAll(async () => {
    sandboxMsp = await seedMspDirectly({ mspName: "Sandbox MSP" });
  });
  afterAll(async () => {
    // Leave the run's shared sandbox tenant as the setup made it: not consented.
    await setConsent(env.SANDBOX_TENANT_ID!, { granted: false }, env.SANDBOX_CLIENT_ID!);
  });

  it("is not offered while Stint has its own Entra app registration", async () => {
    await expectAppError(addSandboxCustomer(contextFor(sandboxMsp.owner)), "conflict");
  });

  it("without an app registration: creates Contoso (sandbox) and connects it through the emulator's page", async () => {
    const saved = { id: env.ENTRA_CLIENT_ID, secret: env.ENTRA_CLIENT_SECRET };
    const owner = contextFor(sandboxMsp.owner);
    try {
      env.ENTRA_CLIENT_ID = undefined;
      env.ENTRA_CLIENT_SECRET = undefined;
      const customer = await addSandboxCustomer(owner);
      expect(customer).toMatchObject({ name: "Contoso (sandbox)", isSandbox: true, mspId: sandboxMsp.mspId });
      expect((await addSandboxCustomer(owner)).name).toBe("Contoso (sandbox) 2");

      const { redirectUrl } = await startConsent(owner, customer.id);
      const url = new URL(redirectUrl);
      expect(url.origin).toBe(new URL(env.SANDBOX_EMULATOR_URL!).origin);
      expect(url.pathname).toBe(`/${env.SANDBOX_TENANT_ID}/oauth2/v2.0/authorize`);
      expect(url.searchParams.get("client_id")).toBe(env.SANDBOX_CLIENT_ID);

      // Megan Bowen is the sandbox's Global Administrator.
      const { consentUrl, query } = await connectThroughPages(redirectUrl, (q) => completeConsent(owner, q), { upn: "megan.bowen@contoso-sandbox.onmicrosoft.com" });
      const consent = new URL(consentUrl);
      expect(consent.origin).toBe(new URL(env.SANDBOX_EMULATOR_URL!).origin);
      expect(consent.pathname).toBe(`/${env.SANDBOX_TENANT_ID}/v2.0/adminconsent`);
      expect(consent.searchParams.get("client_id")).toBe(env.SANDBOX_CLIENT_ID);
      expect(consent.searchParams.get("scope")).toBe(GRAPH_DEFAULT_SCOPE);
      expect(query.tenant).toBe(env.SANDBOX_TENANT_ID);
      expect(await completeConsent(owner, query)).toEqual({ ok: true, customerId: customer.id });
      expect((await connectionOf(customer.id))!).toMatchObject({
        cloud: "sandbox",
        status: "connected",
        tenantId: env.SANDBOX_TENANT_ID,
        tenantName: "Contoso (sandbox)",
        verifiedDomains: ["contoso-sandbox.onmicrosoft.com"],
        defaultDomain: "contoso-sandbox.onmicrosoft.com",
        grantedPermissions: sortedPermissions,
      });
      expect((await customerRow(customer.id)).upnDomain).toBe("contoso-sandbox.onmicrosoft.com");
      expect(await checkConnections(systemContext(sandboxMsp.mspId, "connection.check"))).toEqual({ checked: 1, unhealthy: 0 });
    } finally {
      env.ENTRA_CLIENT_ID = saved.id;
      env.ENTRA_CLIENT_SECRET = saved.secret;
    }
  });
});
