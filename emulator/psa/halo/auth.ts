import { randomBytes } from "node:crypto";
import { parseForm, type Call } from "../../http/call";
import { emptyReply, jsonReply, type Reply } from "../../http/reply";
import type { HaloInstance } from "./instance";

/** What the token endpoint accepts: Halo's API applications use the client-credentials grant with scope `all`. */
const supportedScope = "all";

function tokenError(error: string): Reply {
  return jsonReply(400, { error }, { "cache-control": "no-store" });
}

/**
 * `POST {base}/auth/token`, form-encoded `grant_type=client_credentials&client_id&client_secret&scope=all`, with
 * `?tenant=` for hosted instances. Errors are OAuth 2.0's (RFC 6749 §5.2) as an IdentityServer answers them: 400
 * with `error` only.
 */
export function issueToken(instance: HaloInstance, call: Call): Reply {
  const form = parseForm(call);
  const grantType = form.get("grant_type");
  if (!grantType) return tokenError("invalid_request");
  if (grantType !== "client_credentials") return tokenError("unsupported_grant_type");
  const tenant = call.url.searchParams.get("tenant");
  const wrongTenant = tenant !== null && tenant.toLowerCase() !== instance.tenant?.toLowerCase();
  if (wrongTenant || form.get("client_id") !== instance.clientId || form.get("client_secret") !== instance.clientSecret) {
    return tokenError("invalid_client");
  }
  const scope = form.get("scope") ?? supportedScope;
  if (scope.split(" ").some((s) => s !== supportedScope)) return tokenError("invalid_scope");
  const token = randomBytes(32).toString("base64url");
  instance.tokens.set(token, Date.now() + instance.tokenLifetimeSeconds * 1000);
  return jsonReply(
    200,
    { token_type: "Bearer", access_token: token, expires_in: instance.tokenLifetimeSeconds, scope: supportedScope },
    { "cache-control": "no-store" },
  );
}

/** null when the call carries a live token of this instance; otherwise the 401 Halo's API answers (no body). */
export function refuseBearer(instance: HaloInstance, call: Call): Reply | null {
  const match = /^Bearer\s+(\S+)$/i.exec(call.headers.authorization ?? "");
  if (!match) return emptyReply(401, { "www-authenticate": "Bearer" });
  const token = match[1] as string;
  const expiresAt = instance.tokens.get(token);
  if (expiresAt !== undefined && expiresAt > Date.now()) return null;
  if (expiresAt !== undefined) instance.tokens.delete(token);
  return emptyReply(401, { "www-authenticate": `Bearer error="invalid_token"` });
}
