import { randomUUID } from "node:crypto";
import type { Call } from "../http/call";
import { jsonReply, type Reply } from "../http/reply";
import type { EmulatorState } from "../state";
import { stsErrorReply, tenantNotFound } from "./aadsts";
import type { SigningKey } from "./signing-key";

/** Authorities that name no single tenant; their metadata keeps the `{tenantid}` placeholder, as Entra's does. */
const multiTenantAuthorities = new Set(["common", "organizations", "consumers"]);

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`, which MSAL reads for the endpoints. Endpoints use the host the client called,
 * because MSAL accepts an issuer only on the authority's own origin (or a knownAuthorities host).
 */
export function openIdConfiguration(call: Call, tenantSegment: string, state: EmulatorState): Reply {
  const multiTenant = multiTenantAuthorities.has(tenantSegment.toLowerCase());
  const tenant = multiTenant ? undefined : state.findTenant(tenantSegment);
  if (!multiTenant && !tenant) {
    return stsErrorReply(tenantNotFound(tenantSegment), call.headers["client-request-id"] ?? randomUUID());
  }
  const base = `${call.origin}/${tenant ? tenant.id : tenantSegment}`;
  const issuerTenant = tenant ? tenant.id : "{tenantid}";
  return jsonReply(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${call.origin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "at_hash", "c_hash", "email"],
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  });
}

/**
 * `GET /common/discovery/instance`, MSAL's instance discovery. MSAL sends it to the real login.microsoftonline.com unless the
 * authority host is in `knownAuthorities`; it reaches the emulator only when that hostname resolves here.
 */
export function instanceDiscovery(call: Call): Reply {
  const host = new URL(call.origin).host;
  const endpoint = call.url.searchParams.get("authorization_endpoint");
  const tenant = (endpoint && URL.canParse(endpoint) ? new URL(endpoint).pathname.split("/")[1] : undefined) || "common";
  return jsonReply(200, {
    tenant_discovery_endpoint: `${call.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

export function jwks(key: SigningKey): Reply {
  return jsonReply(200, { keys: [key.publicJwk] });
}
