import { jwtVerify, type JWTPayload } from "jose";
import type { SigningKey } from "../login/signing-key";
import type { EmulatorState } from "../state";
import type { GraphCaller } from "./context";
import { GraphError } from "./errors";

export const graphResource = "https://graph.microsoft.com";
export const graphAppId = "00000003-0000-0000-c000-000000000000";

function invalidToken(message: string): GraphError {
  return new GraphError(401, "InvalidAuthenticationToken", message, {
    headers: {
      "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${graphAppId}"`,
    },
  });
}

/** Validates an app-only bearer token the emulator issued: signature, lifetime, audience, tenant. */
export async function authenticate(authorization: string | undefined, key: SigningKey, state: EmulatorState): Promise<GraphCaller> {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  if (!token) throw invalidToken("Access token is empty.");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, { algorithms: ["RS256"] }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWT_EXPIRED" || code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
      throw invalidToken("Access token has expired or is not yet valid.");
    }
    throw invalidToken("Access token validation failure.");
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.some((a) => a === graphResource || a === graphAppId)) {
    throw invalidToken("Access token validation failure. Invalid audience.");
  }
  const tenant = typeof payload.tid === "string" ? state.findTenant(payload.tid) : undefined;
  const appId = payload.appid;
  if (!tenant || typeof appId !== "string") throw invalidToken("Access token validation failure.");
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
  return { tenant, appId, roles: new Set(roles), servicePrincipal: tenant.servicePrincipals.get(appId) };
}
