import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { graphResource } from "../graph/auth";
import type { ServicePrincipal, Tenant } from "../state";
import type { SigningKey } from "./signing-key";

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * An app-only Graph access token shaped like Entra's v1 tokens (`iss` https://sts.windows.net/{tid}/, `appid`,
 * `idtyp: app`, `roles` only when permissions were granted); `azp` is a v2 claim added for clients that look for it.
 */
export async function issueAppToken(
  key: SigningKey,
  tenant: Tenant,
  app: { clientId: string; displayName: string },
  servicePrincipal: ServicePrincipal,
  lifetimeSeconds: number,
): Promise<IssuedToken> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    aud: graphResource,
    iss: `https://sts.windows.net/${tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    app_displayname: app.displayName,
    appid: app.clientId,
    azp: app.clientId,
    appidacr: "1",
    idp: `https://sts.windows.net/${tenant.id}/`,
    idtyp: "app",
    oid: servicePrincipal.id,
    sub: servicePrincipal.id,
    tid: tenant.id,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
    xms_tcdt: Math.floor(Date.parse(tenant.createdDateTime) / 1000),
    ...(servicePrincipal.roles.length > 0 ? { roles: [...servicePrincipal.roles] } : {}),
  };
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: key.kid })
    .sign(key.privateKey);
  return { accessToken, expiresIn: lifetimeSeconds };
}
