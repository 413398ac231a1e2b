import { createHash, randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { graphResource } from "../graph/auth";
import type { AppRegistration, Tenant, UserRecord } from "../state";
import type { IssuedCode } from "./authorize";
import type { SigningKey } from "./signing-key";

/** ID tokens live an hour in Entra (id-tokens.md: "usually 1 hour"). */
const idTokenLifetimeSeconds = 3600;

function sign(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ typ: "JWT", alg: "RS256", kid: key.kid }).sign(key.privateKey);
}

/** Entra's `sub` is pairwise: stable for one user and one application, different across applications. */
function pairwiseSubject(user: UserRecord, clientId: string): string {
  return createHash("sha256").update(`${user.id}|${clientId}`).digest("base64url").slice(0, 43);
}

/**
 * A v2.0 ID token (id-tokens.md): `iss` `{authority host}/{tid}/v2.0`, `aud` the client id, `tid`, `sub`, `nonce` when
 * the authorize request had one; `oid`, `name` and `preferred_username` only with the `profile` scope, `email` only
 * with `email` (and when the user has a mail address).
 */
export function issueIdToken(key: SigningKey, origin: string, tenant: Tenant, user: UserRecord, code: IssuedCode): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const scopes = new Set(code.scopes.map((s) => s.toLowerCase()));
  const claims: Record<string, unknown> = {
    aud: code.clientId,
    iss: `${origin}/${tenant.id}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + idTokenLifetimeSeconds,
    ...(scopes.has("profile") ? { name: user.properties.displayName, oid: user.id, preferred_username: user.properties.userPrincipalName } : {}),
    ...(scopes.has("email") && typeof user.properties.mail === "string" ? { email: user.properties.mail } : {}),
    ...(code.nonce !== null ? { nonce: code.nonce } : {}),
    rh: `0.${randomBytes(24).toString("base64url")}.`,
    sid: code.sessionId,
    sub: pairwiseSubject(user, code.clientId),
    tid: tenant.id,
    uti: randomBytes(16).toString("base64url"),
    ver: "2.0",
  };
  return sign(key, claims);
}

/** Delegated Graph scopes of a sign-in: the named Graph scopes, or `User.Read` when only OpenID scopes were asked. */
export function delegatedScopes(code: IssuedCode): string[] {
  const graph = code.scopes
    .filter((s) => !["openid", "profile", "email", "offline_access"].includes(s.toLowerCase()) && !s.endsWith("/.default"))
    .map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, ""));
  const oidc = code.scopes.filter((s) => ["openid", "profile", "email"].includes(s.toLowerCase()));
  return [...new Set([...(graph.length > 0 ? graph : ["User.Read"]), ...oidc])];
}

/**
 * A delegated Graph access token (v1 shape like the app-only ones, with `scp`, `upn`, `idtyp: user`). The emulated
 * Graph authorizes by application permissions (`roles`) only, so this token gets 403 there: it exists because Entra
 * always returns an access token for the code grant.
 */
export function issueDelegatedToken(key: SigningKey, tenant: Tenant, app: AppRegistration, user: UserRecord, code: IssuedCode, lifetimeSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign(key, {
    aud: graphResource,
    iss: `https://sts.windows.net/${tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    amr: ["pwd"],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: "1",
    idtyp: "user",
    name: user.properties.displayName,
    oid: user.id,
    scp: delegatedScopes(code).join(" "),
    sid: code.sessionId,
    sub: pairwiseSubject(user, app.clientId),
    tid: tenant.id,
    unique_name: user.properties.userPrincipalName,
    upn: user.properties.userPrincipalName,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
  });
}
