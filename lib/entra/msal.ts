import { AuthError, ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
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
    if (err instanceof EntraError) throw err;
    if (err instanceof AuthError) {
      const aadsts = /AADSTS(\d+)/.exec(err.errorMessage)?.[1];
      const explanation = explainAadsts(aadsts);
      const detail = firstLine(err.errorMessage || err.errorCode);
      throw new EntraError(explanation ? `${explanation} (${detail})` : detail, aadsts ? `AADSTS${aadsts}` : err.errorCode, undefined, err);
    }
    throw new EntraError("Could not reach the Entra authority.", "network", undefined, err);
  }
}
