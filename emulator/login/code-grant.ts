import { createHash, timingSafeEqual } from "node:crypto";
import type { AppRegistration, Tenant } from "../state";
import { missingParameter, type StsError } from "./aadsts";
import { clientInfoOf, type IssuedCode } from "./authorize";
import { delegatedScopes, issueDelegatedToken, issueIdToken } from "./user-tokens";
import type { TokenEndpointDeps } from "./token";

export interface CodeTokenResponse {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  id_token?: string;
  client_info?: string;
}

function invalidGrant(code: number, message: string): StsError {
  return { status: 400, error: "invalid_grant", code, message };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)) with the challenge; plain compares them as they are. */
function verifierMatches(entry: IssuedCode, verifier: string): boolean {
  const derived = entry.codeChallengeMethod === "S256" ? createHash("sha256").update(verifier, "ascii").digest("base64url") : verifier;
  return same(derived, entry.codeChallenge ?? "");
}

/**
 * `grant_type=authorization_code` (v2-oauth2-auth-code-flow, "Redeem a code"), after the client authenticated. The code
 * is single use (a second redemption, successful or not, gets AADSTS54005), lives ten minutes (then AADSTS70008), and
 * is bound to the client, the redirect URI, the tenant it was issued in and the PKCE challenge. Any failed check uses
 * the code up, as RFC 6749 §4.1.2 allows; whether Entra does the same is unconfirmed.
 */
export async function redeemAuthorizationCode(
  form: URLSearchParams,
  ctx: { app: AppRegistration; tenant: Tenant | undefined; origin: string; deps: TokenEndpointDeps },
): Promise<CodeTokenResponse | StsError> {
  const codeParam = form.get("code");
  if (!codeParam) return missingParameter("code");
  const entry = ctx.deps.codes.find(codeParam);
  if (!entry) return invalidGrant(9002313, "Invalid request. Request is malformed or invalid.");
  if (entry.redeemedAt !== null) {
    return invalidGrant(54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
  }
  entry.redeemedAt = Date.now();
  if (entry.expiresAt <= Date.now()) {
    return invalidGrant(70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
  }
  if (entry.clientId !== ctx.app.clientId) {
    return { status: 400, error: "invalid_grant", code: 70000, message: "The provided value for the 'code' parameter is not valid. The code was issued to a different client." };
  }
  if (ctx.tenant && ctx.tenant.id !== entry.tenantId) {
    return invalidGrant(
      700005,
      "Provided Authorization Code is intended to use against other tenant, thus rejected. OAuth2 Authorization Code must be redeemed against same tenant it was acquired for (/common or /{tenant-ID} as appropriate)",
    );
  }
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) return missingParameter("redirect_uri");
  if (redirectUri !== entry.redirectUri) {
    return invalidGrant(500112, `The reply address '${redirectUri}' does not match the reply address '${entry.redirectUri}' provided when requesting Authorization code.`);
  }
  const verifier = form.get("code_verifier");
  if (entry.codeChallenge) {
    if (!verifier) return invalidGrant(50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.");
    if (!verifierMatches(entry, verifier)) return invalidGrant(501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
  }

  const tenant = ctx.deps.state.findTenant(entry.tenantId);
  const user = tenant?.users.get(entry.userId);
  if (!tenant || !user) return invalidGrant(50034, "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.");
  if (user.properties.accountEnabled === false) return invalidGrant(50057, "The user account is disabled.");

  const { signingKey, tokenLifetimeSeconds } = ctx.deps;
  const lifetime = tokenLifetimeSeconds();
  const openid = entry.scopes.some((s) => s.toLowerCase() === "openid");
  return {
    token_type: "Bearer",
    scope: delegatedScopes(entry).join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await issueDelegatedToken(signingKey, tenant, ctx.app, user, entry, lifetime),
    ...(openid ? { id_token: await issueIdToken(signingKey, ctx.origin, tenant, user, entry) } : {}),
    ...(form.get("client_info") === "1" ? { client_info: clientInfoOf(user, tenant) } : {}),
  };
}
