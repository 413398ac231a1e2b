import { AuthError, ConfidentialClientApplication, CryptoProvider, PromptValue, ResponseMode } from "@azure/msal-node";
import { Client, GraphError, type PageCollection } from "@microsoft/microsoft-graph-client";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppSnapshot, TenantSnapshot } from "./control/control";
import { startEmulator, type RunningEmulator } from "./server";

/**
 * The real client libraries against the emulator, configured exactly as README.md tells Stint to configure them.
 * TLS trust comes from NODE_EXTRA_CA_CERTS (set by emulator/testing/global-setup.ts before vitest forks this worker).
 */
let emulator: RunningEmulator;
let tenant: TenantSnapshot;
let secondTenant: TenantSnapshot;
let app: AppSnapshot;

const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
const redirectUri = "https://stint.test/api/entra/consent/callback";
const adminUpn = "ada@contractco.onmicrosoft.com";

beforeAll(async () => {
  emulator = await startEmulator();
  if (process.env.NODE_EXTRA_CA_CERTS !== emulator.caCertPath) {
    throw new Error(
      `NODE_EXTRA_CA_CERTS must be ${emulator.caCertPath} when this worker starts; add emulator/testing/global-setup.ts to the vitest globalSetup.`,
    );
  }
  tenant = emulator.control.createTenant({
    displayName: "Contract Co",
    domains: ["contractco.onmicrosoft.com"],
    users: [{ userPrincipalName: adminUpn, displayName: "Ada Admin", roles: ["Global Administrator"] }],
  });
  secondTenant = emulator.control.createTenant({ displayName: "Second Co", domains: ["secondco.onmicrosoft.com"] });
  app = emulator.control.registerApp({
    displayName: "Stint contract",
    requiredPermissions: ["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"],
    redirectUris: [redirectUri],
  });
  emulator.control.setConsent(tenant.id, app.clientId, { granted: true });
  emulator.control.setConsent(secondTenant.id, app.clientId, { granted: true });
});
afterAll(() => emulator.stop());

/** One client application for every tenant; the tenant's authority goes on each request, as MSAL allows. */
function msal(): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: app.secrets[0]?.value,
      authority: `${emulator.url}/organizations`,
      // Skips instance discovery, which would otherwise go to the real login.microsoftonline.com.
      knownAuthorities: [new URL(emulator.url).host],
    },
  });
}

function graphClient(cca: ConfidentialClientApplication, tenantId: string): Client {
  return Client.initWithMiddleware({
    baseUrl: emulator.url,
    // The auth handler strips Authorization from non-Graph hosts; the port is ignored in this check.
    customHosts: new Set([new URL(emulator.url).hostname]),
    authProvider: {
      getAccessToken: async () => {
        const result = await cca.acquireTokenByClientCredential({
          scopes: ["https://graph.microsoft.com/.default"],
          authority: `${emulator.url}/${tenantId}`,
        });
        if (!result) throw new Error("no token");
        return result.accessToken;
      },
    },
  });
}

describe("@azure/msal-node + @microsoft/microsoft-graph-client against the emulator", () => {
  it("acquires a token, creates a user, assigns a role and reads both back", async () => {
    const cca = msal();
    const token = await cca.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
      authority: `${emulator.url}/${tenant.id}`,
    });
    expect(token?.tokenType).toBe("Bearer");
    expect(decodeJwt(token?.accessToken ?? "")).toMatchObject({ tid: tenant.id, appid: app.clientId });

    const graph = graphClient(cca, tenant.id);
    const created = await graph.api("/users").post({
      accountEnabled: true,
      displayName: "JIT contract",
      mailNickname: "jit-contract",
      userPrincipalName: "jit-contract@contractco.onmicrosoft.com",
      passwordProfile: { forceChangePasswordNextSignIn: false, password: "Contract-Test-9!" },
      employeeType: "stint-jit",
    });
    expect(created.userPrincipalName).toBe("jit-contract@contractco.onmicrosoft.com");

    const assignment = await graph
      .api("/roleManagement/directory/roleAssignments")
      .post({ roleDefinitionId: globalAdministrator, principalId: created.id, directoryScopeId: "/" });
    expect(assignment.id).toMatch(/-1$/);

    const user = await graph.api(`/users/${created.id}`).select(["id", "accountEnabled", "employeeType"]).get();
    expect(user).toMatchObject({ id: created.id, accountEnabled: true, employeeType: "stint-jit" });
    const assignments = await graph.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${created.id}'`).get();
    expect(assignments.value).toEqual([expect.objectContaining({ id: assignment.id, roleDefinitionId: globalAdministrator })]);

    const filtered: PageCollection = await graph.api("/users").filter("employeeType eq 'stint-jit'").top(1).get();
    expect(filtered.value).toHaveLength(1);
  });

  it("surfaces Graph errors as GraphError with code, status and request id", async () => {
    const graph = graphClient(msal(), tenant.id);
    const body = {
      accountEnabled: true,
      displayName: "Twice",
      mailNickname: "twice",
      userPrincipalName: "twice@contractco.onmicrosoft.com",
      passwordProfile: { password: "Contract-Test-9!" },
    };
    await graph.api("/users").post(body);
    const error: unknown = await graph.api("/users").post(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError.statusCode).toBe(400);
    expect(graphError.code).toBe("Request_BadRequest");
    expect(graphError.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const deleted = await graph.api(`/users/twice@contractco.onmicrosoft.com`).delete();
    expect(deleted).toBeUndefined();
  });

  it("follows @odata.nextLink pages and serves a second tenant through the same client application", async () => {
    const cca = msal();
    const graph = graphClient(cca, tenant.id);
    for (let i = 0; i < 3; i++) {
      await graph.api("/users").post({
        accountEnabled: false,
        displayName: `Pager ${i}`,
        mailNickname: `pager${i}`,
        userPrincipalName: `pager${i}@contractco.onmicrosoft.com`,
        passwordProfile: { password: "Contract-Test-9!" },
      });
    }
    const first: PageCollection = await graph.api("/users").top(2).get();
    expect(first["@odata.nextLink"]).toBeDefined();
    const second: PageCollection = await graph.api(first["@odata.nextLink"] as string).get();
    expect(second.value.length).toBeGreaterThan(0);

    const other = graphClient(cca, secondTenant.id);
    const users = await other.api("/users").get();
    expect(users.value).toEqual([]);
  });

  it("lets the Graph client's RetryHandler ride out 429s (fractional Retry-After) and a transient 503", async () => {
    const graph = graphClient(msal(), tenant.id);
    const upn = "retry-contract@contractco.onmicrosoft.com";
    await graph.api("/users").post({
      accountEnabled: true,
      displayName: "Retry contract",
      mailNickname: "retry-contract",
      userPrincipalName: upn,
      passwordProfile: { password: "Contract-Test-9!" },
    });
    emulator.control.setMisbehaviour(tenant.id, { throttle: { quotaScale: 0.001, windowScale: 0.002 }, faults: { next: 1, retryAfterSeconds: 0 } });
    try {
      for (let i = 0; i < 5; i++) {
        await graph.api(`/users/${upn}`).patch({ jobTitle: `attempt ${i}` });
      }
      const statuses = emulator.control.requests({ tenantId: tenant.id, surface: "graph" }).slice(-8).map((e) => e.status);
      expect(statuses).toContain(503);
      expect(statuses).toContain(429);
      const user = await graph.api(`/users/${upn}`).select("jobTitle").get();
      expect(user.jobTitle).toBe("attempt 4");
    } finally {
      emulator.control.setMisbehaviour(tenant.id, { throttle: { quotaScale: 1, windowScale: 1 }, faults: null });
    }
  });
});

/** The browser's part of a sign-in: open the authorize URL, type the account, press "Sign in"; returns the redirect's query. */
async function signInThroughPage(authorizeUrl: string, upn: string): Promise<URLSearchParams> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "";
  const ctx = /name="ctx" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const answer = await fetch(new URL(action, authorizeUrl), { method: "POST", redirect: "manual", body: new URLSearchParams({ ctx, loginfmt: upn, action: "Sign in" }) });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return location.searchParams;
}

describe("@azure/msal-node sign-in (authorization code, PKCE, nonce) against the emulator", () => {
  async function authorize(cca: ConfidentialClientApplication, authority: string, nonce: string) {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      authority,
      scopes: ["openid", "profile"],
      redirectUri,
      responseMode: ResponseMode.QUERY,
      state: "contract-state",
      nonce,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: "S256",
      prompt: PromptValue.SELECT_ACCOUNT,
    });
    return { url, verifier: pkce.verifier };
  }

  it("getAuthCodeUrl uses the discovered authorize endpoint; acquireTokenByCode returns the signed-in user's ID token claims", async () => {
    const cca = msal();
    const { url, verifier } = await authorize(cca, `${emulator.url}/organizations`, "contract-nonce");
    const authorizeUrl = new URL(url);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${emulator.url}/organizations/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({ response_type: "code", code_challenge_method: "S256", nonce: "contract-nonce", state: "contract-state", client_info: "1" });

    const answer = await signInThroughPage(url, adminUpn);
    expect(answer.get("state")).toBe("contract-state");
    const result = await cca.acquireTokenByCode({
      authority: `${emulator.url}/organizations`,
      scopes: ["openid", "profile"],
      redirectUri,
      code: answer.get("code") ?? "",
      codeVerifier: verifier,
      nonce: "contract-nonce",
    });
    const user = emulator.control.inspectTenant(tenant.id).users.find((u) => u.userPrincipalName === adminUpn)!;
    expect(result.idTokenClaims).toMatchObject({ tid: tenant.id, oid: user.id, preferred_username: adminUpn, name: "Ada Admin", nonce: "contract-nonce", aud: app.clientId, iss: `${emulator.url}/${tenant.id}/v2.0` });
    expect(result.tenantId).toBe(tenant.id);
    expect(result.account?.homeAccountId).toBe(`${user.id}.${tenant.id}`);
    expect(result.account?.username).toBe(adminUpn);
    await cca.getTokenCache().removeAccount(result.account!);
    expect(await cca.getTokenCache().getAllAccounts()).toEqual([]);
  });

  it("works at a tenant's own authority too", async () => {
    const cca = msal();
    const { url, verifier } = await authorize(cca, `${emulator.url}/${tenant.id}`, "n2");
    expect(new URL(url).pathname).toBe(`/${tenant.id}/oauth2/v2.0/authorize`);
    const answer = await signInThroughPage(url, adminUpn);
    const result = await cca.acquireTokenByCode({ authority: `${emulator.url}/${tenant.id}`, scopes: ["openid", "profile"], redirectUri, code: answer.get("code") ?? "", codeVerifier: verifier, nonce: "n2" });
    expect(result.idTokenClaims).toMatchObject({ tid: tenant.id, nonce: "n2" });
  });

  it("surfaces a nonce mismatch (MSAL's check), a wrong PKCE verifier and a replayed code as AuthErrors", async () => {
    const cca = msal();
    const first = await authorize(cca, `${emulator.url}/organizations`, "expected");
    const code = (await signInThroughPage(first.url, adminUpn)).get("code") ?? "";
    const redeem = (codeVerifier: string, nonce: string) =>
      cca.acquireTokenByCode({ authority: `${emulator.url}/organizations`, scopes: ["openid", "profile"], redirectUri, code, codeVerifier, nonce }).catch((e: unknown) => e);

    const nonceError = await redeem(first.verifier, "another");
    expect(nonceError).toBeInstanceOf(AuthError);
    expect((nonceError as AuthError).errorCode).toBe("nonce_mismatch");
    // The server redeemed the code before MSAL looked at the nonce: it is used up.
    const replay = (await redeem(first.verifier, "expected")) as AuthError;
    expect(replay.errorCode).toBe("invalid_grant");
    expect(replay.errorMessage).toContain("AADSTS54005");

    const second = await authorize(cca, `${emulator.url}/organizations`, "n3");
    const other = (await signInThroughPage(second.url, adminUpn)).get("code") ?? "";
    const pkceError = (await cca
      .acquireTokenByCode({ authority: `${emulator.url}/organizations`, scopes: ["openid", "profile"], redirectUri, code: other, codeVerifier: first.verifier, nonce: "n3" })
      .catch((e: unknown) => e)) as AuthError;
    expect(pkceError.errorCode).toBe("invalid_grant");
    expect(pkceError.errorMessage).toContain("AADSTS501481");
  });
});
