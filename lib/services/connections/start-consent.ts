import { and, eq } from "drizzle-orm";
import { consentRequests, entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig, sandboxTenantId, type CloudConfig } from "@/lib/entra/clouds";
import { buildSignInUrl, newPkcePair } from "@/lib/entra/msal";
import { GRAPH_SCOPE } from "@/lib/entra/permissions";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { digest, newId, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";

/** How long each leg of a connection attempt (sign-in, then consent) may take. */
export const CONSENT_TTL_MS = 15 * 60_000;

/** The one redirect URI Stint registers: both the sign-in and the admin consent come back here. */
export function consentCallbackUrl(): string {
  return new URL("/api/entra/consent/callback", env.APP_URL).toString();
}

/** The v2 admin-consent URL (`.default`: every permission the app registration requires) of one tenant. */
export function adminConsentUrl(cloud: CloudConfig, tenantId: string, state: string): string {
  const url = new URL(`${cloud.browserAuthorityHost}/${encodeURIComponent(tenantId)}/v2.0/adminconsent`);
  url.searchParams.set("client_id", cloud.clientId);
  url.searchParams.set("scope", GRAPH_SCOPE);
  url.searchParams.set("redirect_uri", consentCallbackUrl());
  url.searchParams.set("state", state);
  return url.toString();
}

/**
 * Step 1 of connecting a customer's Entra ID: an administrator of the customer's tenant signs in (OpenID Connect,
 * authorization code with PKCE and a nonce). Only the ID token Stint redeems itself says which tenant they belong to;
 * admin consent is asked in that tenant next (complete-consent.ts), and its answer must name the same tenant.
 *
 * Remembers a single-use `state` (as a digest) for this customer and member, with the nonce and the PKCE verifier,
 * and returns the authorize URL. A reconnect signs in at the tenant already connected, the sandbox at its tenant,
 * a new connection at `organizations` (any work or school account).
 */
export async function startConsent(ctx: ServiceContext, customerId: string): Promise<{ redirectUrl: string }> {
  requirePermission(ctx, "customers:manage");
  const me = requireMember(ctx);
  const state = newSecret();
  const nonce = newSecret();
  const pkce = await newPkcePair();
  return withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    if (customer.status !== "active") throw new AppError("conflict", "Restore the customer before connecting it.");
    const [existing] = await tx
      .select({ tenantId: entraConnections.tenantId, status: entraConnections.status })
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    const cloud = cloudConfig(customer.isSandbox ? "sandbox" : "microsoft");
    const authorityTenant = existing?.status === "connected" ? existing.tenantId : customer.isSandbox ? sandboxTenantId()! : "organizations";
    await tx.insert(consentRequests).values({
      id: newId("consent"),
      mspId: ctx.mspId,
      customerId: customer.id,
      memberId: me.memberId,
      stateDigest: digest(state),
      phase: "sign_in",
      authorityTenant,
      nonce,
      codeVerifier: pkce.verifier,
      expiresAt: new Date(Date.now() + CONSENT_TTL_MS),
    });
    await recordAudit(tx, ctx, { action: "customer.consent_started", target: { type: "customer", id: customer.id, label: customer.name } });
    // Inside the transaction: if the authority cannot be reached, nothing was started.
    const redirectUrl = await buildSignInUrl(cloud, { tenant: authorityTenant, redirectUri: consentCallbackUrl(), state, nonce, codeChallenge: pkce.challenge });
    return { redirectUrl };
  });
}
