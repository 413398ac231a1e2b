import { and, eq } from "drizzle-orm";
import { consentRequests, entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig, sandboxTenantId } from "@/lib/entra/clouds";
import { GRAPH_SCOPE } from "@/lib/entra/permissions";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { digest, newId, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "@/lib/services/customers/internal";

export const CONSENT_TTL_MS = 15 * 60_000;

export function consentCallbackUrl(): string {
  return new URL("/api/entra/consent/callback", env.APP_URL).toString();
}

/**
 * Step 1 of connecting a customer's Entra ID: remembers a single-use `state` for this customer and
 * member, and returns the admin-consent URL (v2 endpoint, `.default` scope) to send the admin to.
 * A reconnect aims at the tenant already connected; a new connection lets the admin pick the tenant.
 */
export async function startConsent(ctx: ServiceContext, customerId: string): Promise<{ redirectUrl: string }> {
  requirePermission(ctx, "customers:manage");
  const me = requireMember(ctx);
  const state = newSecret();
  const { cloud, tenantHint } = await withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    if (customer.status !== "active") throw new AppError("conflict", "Restore the customer before connecting it.");
    const [existing] = await tx
      .select({ tenantId: entraConnections.tenantId, status: entraConnections.status })
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    const cloud = cloudConfig(customer.isSandbox ? "sandbox" : "microsoft");
    await tx.insert(consentRequests).values({
      id: newId("consent"),
      mspId: ctx.mspId,
      customerId: customer.id,
      memberId: me.memberId,
      stateDigest: digest(state),
      expiresAt: new Date(Date.now() + CONSENT_TTL_MS),
    });
    await recordAudit(tx, ctx, { action: "customer.consent_started", target: { type: "customer", id: customer.id, label: customer.name } });
    const tenantHint = existing?.status === "connected" ? existing.tenantId : customer.isSandbox ? sandboxTenantId()! : "organizations";
    return { cloud, tenantHint };
  });
  const url = new URL(`${cloud.authorityHost}/${encodeURIComponent(tenantHint)}/v2.0/adminconsent`);
  url.searchParams.set("client_id", cloud.clientId);
  url.searchParams.set("scope", GRAPH_SCOPE);
  url.searchParams.set("redirect_uri", consentCallbackUrl());
  url.searchParams.set("state", state);
  return { redirectUrl: url.toString() };
}
