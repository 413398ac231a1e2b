import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { consentRequests, customers, entraConnections, type Customer } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError, MissingPermissionsError, explainAadsts, firstLine } from "@/lib/entra/errors";
import { digest, newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { readTenant, type TenantFacts } from "./read-tenant";

/** The query string Entra sends back to the redirect URI (§1.1: success and error forms). */
export const consentCallbackInput = z.object({
  state: z.string().max(200).optional(),
  tenant: z.string().max(200).optional(),
  admin_consent: z.string().max(20).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(4000).optional(),
});

export type ConsentOutcome = { ok: true; customerId: string } | { ok: false; customerId: string | null; message: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Step 2: the admin is back from the consent page. The answer counts only if its `state` is one this
 * member started for this MSP (single use, 15 minutes). The returned tenant id is not trusted until
 * Stint has a token for that tenant and has read its organization and verified domains.
 */
export async function completeConsent(ctx: ServiceContext, query: unknown): Promise<ConsentOutcome> {
  requirePermission(ctx, "customers:manage");
  const me = requireMember(ctx);
  const params = consentCallbackInput.parse(query);
  const request = await withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(consentRequests)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(consentRequests.stateDigest, digest(params.state ?? "")),
          eq(consentRequests.mspId, ctx.mspId),
          eq(consentRequests.memberId, me.memberId),
          isNull(consentRequests.usedAt),
          gt(consentRequests.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!row) return null;
    const [customer] = await tx.select().from(customers).where(and(eq(customers.id, row.customerId), eq(customers.mspId, ctx.mspId)));
    return customer ?? null;
  });
  if (!request) {
    return { ok: false, customerId: null, message: "This consent answer does not match a connection you started, or it expired. Start again from the customer's page." };
  }
  const customer = request;
  const fail = async (message: string, metadata: Record<string, unknown> = {}): Promise<ConsentOutcome> => {
    await withMspTx(ctx.mspId, (tx) =>
      recordAudit(tx, ctx, { action: "customer.connect_failed", result: "failure", reason: message, target: { type: "customer", id: customer.id, label: customer.name }, metadata }),
    );
    return { ok: false, customerId: customer.id, message };
  };

  if (params.error) {
    const description = firstLine(params.error_description ?? params.error);
    const explanation = explainAadsts(/AADSTS(\d+)/.exec(description)?.[1]);
    return fail(explanation ? `${explanation} (${description})` : description, { error: params.error });
  }
  if (!params.tenant || !GUID.test(params.tenant)) return fail("Entra did not say which tenant consented.");

  let facts: TenantFacts;
  try {
    facts = await readTenant(cloudConfig(customer.isSandbox ? "sandbox" : "microsoft"), params.tenant);
  } catch (err) {
    if (err instanceof MissingPermissionsError) {
      return fail(`The consent is missing permissions Stint needs: ${err.missing.join(", ")}.`, { tenant: params.tenant });
    }
    if (err instanceof EntraError) return fail(`Stint could not verify the tenant: ${err.message}`, { tenant: params.tenant, code: err.entraCode });
    throw err;
  }
  return saveConnection(ctx, customer, facts);
}

async function saveConnection(ctx: ServiceContext, customer: Customer, facts: TenantFacts): Promise<ConsentOutcome> {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const [current] = await tx
      .select()
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    const refuse = async (message: string): Promise<ConsentOutcome> => {
      await recordAudit(tx, ctx, { action: "customer.connect_failed", result: "failure", reason: message, target: { type: "customer", id: customer.id, label: customer.name }, metadata: { tenant: facts.tenantId } });
      return { ok: false, customerId: customer.id, message };
    };
    if (current?.status === "connected" && current.tenantId !== facts.tenantId) {
      return refuse(`Consent came from tenant ${facts.tenantName} (${facts.tenantId}), but this customer is connected to ${current.tenantName} (${current.tenantId}). Disconnect first to switch tenants.`);
    }
    const [other] = await tx
      .select({ name: customers.name })
      .from(entraConnections)
      .innerJoin(customers, and(eq(customers.id, entraConnections.customerId), eq(customers.mspId, entraConnections.mspId)))
      .where(and(eq(entraConnections.mspId, ctx.mspId), eq(entraConnections.tenantId, facts.tenantId), eq(entraConnections.status, "connected"), ne(entraConnections.customerId, customer.id)));
    if (other) return refuse(`Tenant ${facts.tenantName} is already connected to customer ${other.name}.`);

    const values = {
      cloud: customer.isSandbox ? ("sandbox" as const) : ("microsoft" as const),
      status: "connected" as const,
      tenantId: facts.tenantId,
      tenantName: facts.tenantName,
      verifiedDomains: facts.verifiedDomains,
      defaultDomain: facts.defaultDomain,
      roleDefinitions: facts.roleDefinitions,
      grantedPermissions: facts.grantedPermissions,
      healthOk: true,
      healthDetail: null,
      healthCheckedAt: new Date(),
      connectedBy: me.memberId,
      connectedAt: new Date(),
      disconnectedAt: null,
      updatedAt: new Date(),
    };
    try {
      // A savepoint, so a refusal by the one-tenant-one-connection index can still be audited.
      await tx.transaction((sp) =>
        sp
          .insert(entraConnections)
          .values({ id: newId("connection"), mspId: ctx.mspId, customerId: customer.id, ...values })
          .onConflictDoUpdate({ target: entraConnections.customerId, set: values }),
      );
    } catch (err) {
      if (!isUniqueViolation(err, "entra_connections_tenant_connected_uq")) throw err;
      return refuse(`Tenant ${facts.tenantName} is already connected in this Stint installation. A tenant can be connected to one customer only.`);
    }
    // A first connection picks the tenant's default domain for JIT accounts; an admin can change it.
    if (!customer.upnDomain || !facts.verifiedDomains.includes(customer.upnDomain)) {
      await tx.update(customers).set({ upnDomain: facts.defaultDomain, updatedAt: new Date() }).where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    }
    await recordAudit(tx, ctx, {
      action: current?.status === "connected" ? "customer.reconnected" : "customer.connected",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: { tenant: facts.tenantId, tenantName: facts.tenantName, domains: facts.verifiedDomains, permissions: facts.grantedPermissions },
    });
    return { ok: true, customerId: customer.id };
  });
}
