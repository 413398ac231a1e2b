import { AuthError, ConfidentialClientApplication, CryptoProvider, LogLevel, PromptValue, ResponseMode, type AuthenticationResult } from "@azure/msal-node";
import { digest } from "@/lib/ids";
import { logger } from "@/lib/logger";
import type { CloudConfig } from "./clouds";
import { EntraError, explainAadsts, firstLine } from "./errors";
import { GRAPH_SCOPE } from "./permissions";

/** One ConfidentialClientApplication (and so one token cache) per cloud and app registration. */
const apps = new Map<string, ConfidentialClientApplication>();

function appFor(cloud: CloudConfig): ConfidentialClientApplication {
  // The secret is part of the key, so a rotated secret gets a fresh application rather than the old one.
  const key = `${cloud.authorityHost}|${cloud.clientId}|${digest(cloud.clientSecret)}`;
  let app = apps.get(key);
  if (!app) {
    app = new ConfidentialClientApplication({
      auth: {
        clientId: cloud.clientId,
        clientSecret: cloud.clientSecret,
        // Replaced by the customer's tenant on every request; MSAL refuses common/organizations here.
        authority: `${cloud.authorityHost}/organizations`,
        knownAuthorities: cloud.knownAuthorities,
      },
      system: {
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => logger.debug({ msal: message }, "msal"),
        },
      },
    });
    apps.set(key, app);
  }
  return app;
}

export type AppToken = { accessToken: string; tenantId: string; roles: string[]; expiresOn: Date | null };

/** Reads the claims of a token Stint just received over TLS from the authority (no signature check needed here). */
function claimsOf(accessToken: string): { tid?: string; roles?: string[] } {
  const payload = accessToken.split(".")[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return {};
  }
}

/**
 * An app-only Graph token for one customer tenant (client credentials), from MSAL's cache when it is
 * still fresh. The tenant's granted application permissions arrive as the token's `roles`.
 */
export async function acquireAppToken(cloud: CloudConfig, tenantId: string, options: { skipCache?: boolean } = {}): Promise<AppToken> {
  try {
    const result = await appFor(cloud).acquireTokenByClientCredential({
      scopes: [GRAPH_SCOPE],
      authority: `${cloud.authorityHost}/${tenantId}`,
      skipCache: options.skipCache,
    });
    if (!result?.accessToken) throw new EntraError("Entra returned no access token.", "no_token");
    const claims = claimsOf(result.accessToken);
    return { accessToken: result.accessToken, tenantId: claims.tid ?? "", roles: claims.roles ?? [], expiresOn: result.expiresOn };
  } catch (err) {
    throw asEntraError(err);
  }
}

/** An MSAL failure as an EntraError an admin can read: Entra's explanation of the AADSTS code, then its first line. */
function asEntraError(err: unknown): EntraError {
  if (err instanceof EntraError) return err;
  if (err instanceof AuthError) {
    if (err.errorCode === "nonce_mismatch") {
      return new EntraError("The sign-in answer was not issued for this connection attempt (its nonce does not match).", "nonce_mismatch", undefined, err);
    }
    const aadsts = /AADSTS(\d+)/.exec(err.errorMessage)?.[1];
    const explanation = explainAadsts(aadsts);
    const detail = firstLine(err.errorMessage || err.errorCode);
    return new EntraError(explanation ? `${explanation} (${detail})` : detail, aadsts ? `AADSTS${aadsts}` : err.errorCode, undefined, err);
  }
  return new EntraError("Could not reach the Entra authority.", "network", undefined, err);
}

/** PKCE (RFC 7636, S256) for one sign-in: the verifier stays with Stint, the challenge goes in the authorize URL. */
export async function newPkcePair(): Promise<{ verifier: string; challenge: string }> {
  return new CryptoProvider().generatePkceCodes();
}

export type SignInRequest = {
  /** The `{tenant}` of the authority: `organizations`, or one tenant id. */
  tenant: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
};

/** The scopes of the sign-in: who the administrator is, nothing more (MSAL adds offline_access by itself). */
const SIGN_IN_SCOPES = ["openid", "profile"];

/**
 * The OpenID Connect authorize URL (authorization code, `response_mode=query`, PKCE S256, nonce) at
 * `{authorityHost}/{tenant}/oauth2/v2.0/authorize` (on the browser's host for it), from the same application as
 * Stint's app-only tokens.
 */
export async function buildSignInUrl(cloud: CloudConfig, request: SignInRequest): Promise<string> {
  try {
    const built = await appFor(cloud).getAuthCodeUrl({
      authority: `${cloud.authorityHost}/${request.tenant}`,
      scopes: SIGN_IN_SCOPES,
      redirectUri: request.redirectUri,
      responseMode: ResponseMode.QUERY,
      state: request.state,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: "S256",
      prompt: PromptValue.SELECT_ACCOUNT,
    });
    // The person's browser goes where it can open the page (the sandbox's http pages); the path is the same.
    const url = new URL(built);
    const browser = new URL(cloud.browserAuthorityHost);
    url.protocol = browser.protocol;
    url.host = browser.host;
    return url.toString();
  } catch (err) {
    throw asEntraError(err);
  }
}

/** Who signed in, from the ID token Stint redeemed over the back channel. */
export type SignedInAdmin = { tenantId: string; userId: string; username: string; name: string | null };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOCK_SKEW_SECONDS = 300;

/**
 * Redeems a sign-in's authorization code (confidential client: Stint's secret, plus the PKCE verifier and the redirect
 * URI it was issued for) and checks the ID token as OpenID Connect Core §3.1.3.7 asks: issuer
 * `{authorityHost}/{tid}/v2.0`, audience Stint's client id, the nonce Stint sent (MSAL checks it too), not expired.
 * The signature is not checked: the token came straight from the authority's token endpoint over TLS, which §3.1.3.7
 * (6) accepts in its place. MSAL's cache entry for the account is removed again: Stint keeps no user tokens.
 */
export async function redeemSignInCode(
  cloud: CloudConfig,
  input: { tenant: string; code: string; codeVerifier: string; nonce: string; redirectUri: string },
): Promise<SignedInAdmin> {
  const app = appFor(cloud);
  let result: AuthenticationResult;
  try {
    result = await app.acquireTokenByCode({
      authority: `${cloud.authorityHost}/${input.tenant}`,
      scopes: SIGN_IN_SCOPES,
      redirectUri: input.redirectUri,
      code: input.code,
      codeVerifier: input.codeVerifier,
      nonce: input.nonce,
    });
  } catch (err) {
    throw asEntraError(err);
  }
  try {
    const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
    const refuse = (detail: string) => new EntraError(`Entra's answer to the sign-in is not valid: ${detail}.`, "invalid_id_token");
    if (!result.idToken) throw refuse("there is no ID token");
    const tid = typeof claims.tid === "string" ? claims.tid.toLowerCase() : "";
    if (!GUID.test(tid)) throw refuse("the ID token names no tenant");
    if (claims.iss !== `${cloud.authorityHost}/${tid}/v2.0`) throw refuse(`the ID token was issued by ${String(claims.iss)}`);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(cloud.clientId)) throw refuse("the ID token is for another application");
    if (claims.nonce !== input.nonce) throw refuse("the ID token's nonce does not match");
    const now = Date.now() / 1000;
    if (typeof claims.exp !== "number" || claims.exp + CLOCK_SKEW_SECONDS < now) throw refuse("the ID token has expired");
    if (typeof claims.iat === "number" && claims.iat - CLOCK_SKEW_SECONDS > now) throw refuse("the ID token was issued in the future");
    const userId = typeof claims.oid === "string" ? claims.oid : "";
    if (!userId) throw refuse("the ID token names no user");
    const username = typeof claims.preferred_username === "string" ? claims.preferred_username : userId;
    return { tenantId: tid, userId, username, name: typeof claims.name === "string" ? claims.name : null };
  } finally {
    if (result.account) await app.getTokenCache().removeAccount(result.account).catch(() => undefined);
  }
}
