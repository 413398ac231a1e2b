import { randomUUID, timingSafeEqual } from "node:crypto";
import { graphAppId, graphResource } from "../graph/auth";
import { parseForm, type Call } from "../http/call";
import { jsonReply, type Reply } from "../http/reply";
import type { AppRegistration, EmulatorState, Tenant } from "../state";
import { missingParameter, stsErrorReply, tenantNotFound, type StsError } from "./aadsts";
import { issueAppToken } from "./access-token";
import type { AuthorizationCodes } from "./authorize";
import { checkClientAssertion } from "./client-assertion";
import { redeemAuthorizationCode } from "./code-grant";
import type { SigningKey } from "./signing-key";

export interface TokenEndpointDeps {
  state: EmulatorState;
  signingKey: SigningKey;
  tokenLifetimeSeconds(): number;
  codes: AuthorizationCodes;
}

/** Authorities that name no tenant: the authorization-code grant may be redeemed there (the code knows its tenant). */
const multiTenantSegments = new Set(["common", "organizations"]);

const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client id and secret from the body, or from HTTP Basic auth (RFC 6749 §2.3.1, which Entra supports too). */
function clientCredentials(call: Call, form: URLSearchParams): { clientId?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(call.headers.authorization ?? "")?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  }
  return { clientId: form.get("client_id") ?? undefined, secret: form.get("client_secret") ?? undefined };
}

async function authenticateClient(
  app: AppRegistration,
  audience: { tenant: Tenant | undefined; segment: string },
  secret: string | undefined,
  form: URLSearchParams,
): Promise<StsError | undefined> {
  const assertion = form.get("client_assertion");
  if (assertion) {
    if (form.get("client_assertion_type") !== jwtBearer) return missingParameter("client_assertion_type");
    return checkClientAssertion(assertion, app, audience);
  }
  if (!secret) {
    return { status: 401, error: "invalid_client", code: 7000218, message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." };
  }
  const match = app.secrets.find((s) => sameSecret(s.value, secret));
  if (!match) {
    return {
      status: 401,
      error: "invalid_client",
      code: 7000215,
      message: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    };
  }
  if (match.expiresAt && Date.parse(match.expiresAt) <= Date.now()) {
    return { status: 401, error: "invalid_client", code: 7000222, message: `The provided client secret keys for app '${app.clientId}' are expired.` };
  }
  return undefined;
}

/**
 * Client credentials must ask for exactly one `{resource}/.default`; only Microsoft Graph is a known resource.
 */
function checkScope(scope: string | null, tenant: Tenant): StsError | undefined {
  if (!scope) return missingParameter("scope");
  const scopes = scope.split(" ").filter((s) => s.length > 0);
  const nonDefault = scopes.find((s) => !s.endsWith("/.default"));
  if (nonDefault) {
    return {
      status: 400,
      error: "invalid_scope",
      code: 1002012,
      message: `The provided value for scope ${nonDefault} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  if (scopes.length !== 1) {
    return { status: 400, error: "invalid_scope", code: 70011, message: `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.` };
  }
  const resource = (scopes[0] as string).slice(0, -"/.default".length).replace(/\/$/, "");
  if (resource !== graphResource && resource !== graphAppId) {
    return {
      status: 400,
      error: "invalid_resource",
      code: 500011,
      message: `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    };
  }
  return undefined;
}

/**
 * `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant, and the authorization-code grant of a sign-in
 * (`code-grant.ts`). Unknown form fields are ignored: MSAL sends telemetry fields Entra does not require.
 */
export async function handleTokenRequest(call: Call, tenantSegment: string, deps: TokenEndpointDeps): Promise<Reply> {
  const correlationId = call.headers["client-request-id"] ?? randomUUID();
  const fail = (failure: StsError) => stsErrorReply(failure, correlationId);
  const form = parseForm(call);

  const tenant = deps.state.findTenant(tenantSegment);
  const grantType = form.get("grant_type");
  const codeAtMultiTenant = grantType === "authorization_code" && multiTenantSegments.has(tenantSegment.toLowerCase());
  if (!tenant && !codeAtMultiTenant) return fail(tenantNotFound(tenantSegment));
  if (!grantType) return fail(missingParameter("grant_type"));
  if (grantType !== "client_credentials" && grantType !== "authorization_code") {
    return fail({ status: 400, error: "unsupported_grant_type", code: 70003, message: `The app requested an unsupported grant type '${grantType}'.` });
  }
  const { clientId, secret } = clientCredentials(call, form);
  if (!clientId) return fail(missingParameter("client_id"));
  const app = deps.state.apps.get(clientId.toLowerCase());
  if (!app) {
    return fail({
      status: 400,
      error: "unauthorized_client",
      code: 700016,
      message: `Application with identifier '${clientId}' was not found in the directory '${tenant?.displayName ?? tenantSegment}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    });
  }
  const clientFailure = await authenticateClient(app, { tenant, segment: tenantSegment }, secret, form);
  if (clientFailure) return fail(clientFailure);
  if (grantType === "authorization_code") {
    const outcome = await redeemAuthorizationCode(form, { app, tenant, origin: call.origin, deps });
    return "error" in outcome ? fail(outcome) : jsonReply(200, outcome, { "cache-control": "no-store, no-cache", pragma: "no-cache" });
  }
  if (!tenant) return fail(tenantNotFound(tenantSegment));
  const scopeFailure = checkScope(form.get("scope"), tenant);
  if (scopeFailure) return fail(scopeFailure);

  // Before admin consent, or once the customer deleted it, the app has no service principal in the tenant.
  const servicePrincipal = tenant.servicePrincipals.get(app.clientId);
  if (!servicePrincipal) {
    return fail({
      status: 401,
      error: "invalid_client",
      code: 7000229,
      message: `The client application ${app.clientId} is missing service principal in the tenant ${tenant.id}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
    });
  }
  if (!servicePrincipal.accountEnabled) {
    return fail({ status: 400, error: "unauthorized_client", code: 7000112, message: `Application '${app.clientId}'(${app.displayName}) is disabled.` });
  }
  const token = await issueAppToken(deps.signingKey, tenant, app, servicePrincipal, deps.tokenLifetimeSeconds());
  return jsonReply(
    200,
    { token_type: "Bearer", expires_in: token.expiresIn, ext_expires_in: token.expiresIn, access_token: token.accessToken },
    { "cache-control": "no-store, no-cache", pragma: "no-cache" },
  );
}
