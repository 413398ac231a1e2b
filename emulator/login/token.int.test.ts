import { decodeJwt, importJWK, importPKCS8, jwtVerify, SignJWT, type JWK, type JWTPayload } from "jose";
import { X509Certificate, randomUUID } from "node:crypto";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphScope, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

let t: TestEmulator;
let consented: TenantApp;

beforeAll(async () => {
  t = await startTestEmulator();
  consented = await t.tenantWithApp({ permissions: ["User.Read.All", "RoleManagement.ReadWrite.Directory"] });
});
afterAll(() => t.stop());

function stsError(body: Record<string, unknown>) {
  return { error: body.error, code: (body.error_codes as number[])[0], description: String(body.error_description) };
}

describe("client-credentials token endpoint", () => {
  it("issues an RS256 app-only token with the consented roles", async () => {
    const response = await consented.requestToken();
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toContain("no-store");
    const body = response.json<{ token_type: string; expires_in: number; ext_expires_in: number; access_token: string }>();
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(3599);
    expect(body.ext_expires_in).toBe(3599);

    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${consented.tenant.id}/`,
      tid: consented.tenant.id,
      appid: consented.app.clientId,
      azp: consented.app.clientId,
      idtyp: "app",
      ver: "1.0",
      roles: ["User.Read.All", "RoleManagement.ReadWrite.Directory"],
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3599);
  });

  it("signs tokens with a key published in the tenant's JWKS", async () => {
    const token = await consented.token();
    const jwks = await t.http(`${t.emulator.url}/${consented.tenant.id}/discovery/v2.0/keys`);
    expect(jwks.status).toBe(200);
    const keys = jwks.json<{ keys: JWK[] }>().keys;
    const { protectedHeader } = await jwtVerify(token, async (header) => {
      const jwk = keys.find((k) => k.kid === header.kid);
      if (!jwk) throw new Error("kid not published");
      return importJWK(jwk, "RS256");
    });
    expect(protectedHeader.alg).toBe("RS256");
  });

  it("accepts the tenant's domain name in the path and HTTP Basic client authentication", async () => {
    const basic = Buffer.from(`${consented.app.clientId}:${encodeURIComponent(consented.secret)}`).toString("base64");
    const response = await t.http(`${t.emulator.url}/${consented.domain}/oauth2/v2.0/token`, {
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: "client_credentials", scope: graphScope, "x-client-SKU": "msal.js.node", "x-app-name": "stint" },
    });
    expect(response.status).toBe(200);
  });

  it("honours a configured token lifetime", async () => {
    t.emulator.control.configure({ tokenLifetimeSeconds: 120 });
    try {
      const body = (await consented.requestToken()).json<{ expires_in: number }>();
      expect(body.expires_in).toBe(120);
    } finally {
      t.emulator.control.configure({ tokenLifetimeSeconds: 3599 });
    }
  });

  it("answers AADSTS90002 for an unknown tenant", async () => {
    const response = await t.http(`${t.emulator.url}/nosuchtenant.onmicrosoft.com/oauth2/v2.0/token`, {
      form: { grant_type: "client_credentials", client_id: consented.app.clientId, client_secret: consented.secret, scope: graphScope },
    });
    expect(response.status).toBe(400);
    const body = response.json();
    expect(stsError(body)).toMatchObject({ error: "invalid_request", code: 90002 });
    expect(String(body.error_description)).toMatch(/^AADSTS90002: Tenant 'nosuchtenant.onmicrosoft.com' not found\..*\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/s);
    expect(body).toHaveProperty("trace_id");
    expect(body).toHaveProperty("correlation_id");
    expect(body.error_uri).toBe("https://login.microsoftonline.com/error?code=90002");
  });

  it("echoes client-request-id as the correlation id", async () => {
    const response = await t.http(`${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/token`, {
      headers: { "client-request-id": "11111111-2222-3333-4444-555555555555" },
      form: { grant_type: "client_credentials", client_id: consented.app.clientId, client_secret: "wrong", scope: graphScope },
    });
    expect(response.json().correlation_id).toBe("11111111-2222-3333-4444-555555555555");
  });

  it.each([
    [{ client_secret: "not-the-secret" }, 401, "invalid_client", 7000215],
    [{ client_secret: "" }, 401, "invalid_client", 7000218],
    [{ client_id: "" }, 400, "invalid_request", 900144],
    [{ client_id: "00000000-0000-0000-0000-00000000abcd" }, 400, "unauthorized_client", 700016],
    [{ grant_type: "" }, 400, "invalid_request", 900144],
    [{ grant_type: "password" }, 400, "unsupported_grant_type", 70003],
    [{ scope: "" }, 400, "invalid_request", 900144],
    [{ scope: "User.Read" }, 400, "invalid_scope", 1002012],
    [{ scope: "https://graph.microsoft.com/User.Read.All" }, 400, "invalid_scope", 1002012],
    [{ scope: `${graphScope} https://management.azure.com/.default` }, 400, "invalid_scope", 70011],
    [{ scope: "https://management.azure.com/.default" }, 400, "invalid_resource", 500011],
  ])("rejects %o with %i %s AADSTS%i", async (override, status, error, code) => {
    const response = await consented.requestToken(override);
    expect(response.status).toBe(status);
    expect(stsError(response.json())).toMatchObject({ error, code });
    expect(stsError(response.json()).description.startsWith(`AADSTS${code}: `)).toBe(true);
  });

  it("answers AADSTS7000229 before admin consent and again after consent is revoked", async () => {
    const fresh = await t.tenantWithApp({ consented: false });
    const before = await fresh.requestToken();
    expect(before.status).toBe(401);
    expect(stsError(before.json())).toMatchObject({ error: "invalid_client", code: 7000229 });
    expect(stsError(before.json()).description).toContain(
      `The client application ${fresh.app.clientId} is missing service principal in the tenant ${fresh.tenant.id}.`,
    );

    t.emulator.control.setConsent(fresh.tenant.id, fresh.app.clientId, { granted: true });
    expect((await fresh.requestToken()).status).toBe(200);

    t.emulator.control.setConsent(fresh.tenant.id, fresh.app.clientId, { granted: false });
    expect(stsError((await fresh.requestToken()).json()).code).toBe(7000229);
  });

  it("keeps tokens issued before consent was revoked valid on Graph; only new token requests are refused", async () => {
    const revoked = await t.tenantWithApp();
    const issued = await revoked.token();
    t.emulator.control.setConsent(revoked.tenant.id, revoked.app.clientId, { granted: false });
    expect(stsError((await revoked.requestToken()).json())).toMatchObject({ error: "invalid_client", code: 7000229 });
    const withIssued = await t.http(`${t.emulator.url}/v1.0/organization`, { headers: { authorization: `Bearer ${issued}` } });
    expect(withIssued.status).toBe(200);
  });

  it("answers AADSTS7000112 while the customer has disabled the enterprise app, through the control API", async () => {
    const disabled = await t.tenantWithApp();
    const issued = await disabled.token();
    const control = (accountEnabled: boolean) =>
      t.http(`${t.emulator.url}/_emulator/tenants/${disabled.tenant.id}/service-principals/${disabled.app.clientId}`, {
        method: "PUT",
        json: { accountEnabled },
      });
    expect((await control(false)).json()).toMatchObject({ appId: disabled.app.clientId, accountEnabled: false });

    const refused = await disabled.requestToken();
    expect(refused.status).toBe(400);
    expect(stsError(refused.json())).toMatchObject({ error: "unauthorized_client", code: 7000112 });
    expect(stsError(refused.json()).description).toContain(`AADSTS7000112: Application '${disabled.app.clientId}'(${disabled.app.displayName}) is disabled.`);
    expect((await t.http(`${t.emulator.url}/v1.0/organization`, { headers: { authorization: `Bearer ${issued}` } })).status).toBe(200);

    t.emulator.control.setConsent(disabled.tenant.id, disabled.app.clientId, { granted: true });
    expect(stsError((await disabled.requestToken()).json()).code).toBe(7000112);
    await control(true);
    expect((await disabled.requestToken()).status).toBe(200);

    const unknown = await t.http(`${t.emulator.url}/_emulator/tenants/${disabled.tenant.id}/service-principals/${randomUUID()}`, {
      method: "PUT",
      json: { accountEnabled: false },
    });
    expect(unknown.status).toBe(404);
  });

  it("answers AADSTS7000222 for an expired secret", async () => {
    const app = t.emulator.control.registerApp({
      displayName: "Expired",
      secrets: [{ value: "old-secret-value", expiresAt: "2020-01-01T00:00:00Z" }],
      requiredPermissions: ["User.Read.All"],
    });
    t.emulator.control.setConsent(consented.tenant.id, app.clientId, { granted: true });
    const response = await t.http(`${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/token`, {
      form: { grant_type: "client_credentials", client_id: app.clientId, client_secret: "old-secret-value", scope: graphScope },
    });
    expect(stsError(response.json())).toMatchObject({ error: "invalid_client", code: 7000222 });
  });

  it("omits the roles claim when the consent granted no application permissions", async () => {
    const bare = await t.tenantWithApp({ permissions: [] });
    const claims: JWTPayload = decodeJwt(await bare.token());
    expect(claims.roles).toBeUndefined();
  });
});

describe("certificate credentials (client_assertion)", () => {
  let certificatePem: string;
  let privateKeyPem: string;
  let x5tS256: string;

  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: "stint-test-credential" }], { algorithm: "sha256", keySize: 2048 });
    certificatePem = pems.cert;
    privateKeyPem = pems.private;
    x5tS256 = Buffer.from(new X509Certificate(certificatePem).fingerprint256.replace(/:/g, ""), "hex").toString("base64url");
  });

  async function assertion(clientId: string, tenantId: string, overrides: { aud?: string; expired?: boolean } = {}) {
    const key = await importPKCS8(privateKeyPem, "RS256");
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT", "x5t#S256": x5tS256 })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(overrides.aud ?? `${t.emulator.url}/${tenantId}/oauth2/v2.0/token`)
      .setJti(randomUUID())
      .setIssuedAt(overrides.expired ? now - 7200 : now)
      .setExpirationTime(overrides.expired ? now - 3600 : now + 600)
      .sign(key);
  }

  it("issues a token for a signed assertion and rejects a bad audience, an expired one and an unknown certificate", async () => {
    const app = t.emulator.control.registerApp({ displayName: "Cert app", secrets: [], certificates: [{ certificatePem }], requiredPermissions: ["User.Read.All"] });
    t.emulator.control.setConsent(consented.tenant.id, app.clientId, { granted: true });
    const send = (clientAssertion: string, clientId = app.clientId) =>
      t.http(`${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/token`, {
        form: {
          grant_type: "client_credentials",
          client_id: clientId,
          scope: graphScope,
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: clientAssertion,
        },
      });

    expect((await send(await assertion(app.clientId, consented.tenant.id))).status).toBe(200);
    expect(stsError((await send(await assertion(app.clientId, "someone-else"))).json()).code).toBe(700027);
    expect(stsError((await send(await assertion(app.clientId, consented.tenant.id, { expired: true }))).json()).code).toBe(700024);
    const other = t.emulator.control.registerApp({ displayName: "No cert", requiredPermissions: [] });
    expect(stsError((await send(await assertion(other.clientId, consented.tenant.id), other.clientId)).json()).code).toBe(700027);
  });
});

describe("discovery", () => {
  it("serves the OpenID configuration on the caller's origin, with the tenant id resolved", async () => {
    const response = await t.http(`${t.emulator.url}/${consented.domain}/v2.0/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: `${t.emulator.url}/${consented.tenant.id}/v2.0`,
      token_endpoint: `${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/token`,
      authorization_endpoint: `${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/authorize`,
      jwks_uri: `${t.emulator.url}/${consented.tenant.id}/discovery/v2.0/keys`,
    });
    const organizations = await t.http(`${t.emulator.url}/organizations/v2.0/.well-known/openid-configuration`);
    expect(organizations.json().issuer).toBe(`${t.emulator.url}/{tenantid}/v2.0`);
    const unknown = await t.http(`${t.emulator.url}/${randomUUID()}/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.json().error_codes).toEqual([90002]);
  });

  it("answers instance discovery with the emulator host as the only alias", async () => {
    const authorize = encodeURIComponent(`${t.emulator.url}/${consented.tenant.id}/oauth2/v2.0/authorize`);
    const response = await t.http(`${t.emulator.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`);
    const host = new URL(t.emulator.url).host;
    expect(response.json()).toMatchObject({
      tenant_discovery_endpoint: `${t.emulator.url}/${consented.tenant.id}/v2.0/.well-known/openid-configuration`,
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
});
