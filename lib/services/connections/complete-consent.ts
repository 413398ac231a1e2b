import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { consentRequests, customers, entraConnections, type ConsentRequest, type Customer } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig, supportsTap, type CloudConfig } from "@/lib/entra/clouds";
import { grantsTapPermissions } from "@/lib/entra/permissions";
import { coversNewAccounts } from "@/lib/entra/tap-policy";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import { EntraError, MissingPermissionsError, explainAadsts, firstLine } from "@/lib/entra/errors";
import { redeemSignInCode, type SignedInAdmin } from "@/lib/entra/msal";
import { digest, newId, newSecret } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { CONSENT_TTL_MS, adminConsentUrl, consentCallbackUrl } from "./start-consent";
import { readTenant, tenantFactColumns, type TenantFacts } from "./read-tenant";
import { consentCallbackInput } from "./schemas";

/**
 * `ok: true`, connected; `ok: false`, refused with a message for the admin; `ok: "continue"`, the sign-in is done and
 * the browser goes on to `redirectUrl` (admin consent in the signed-in tenant). Check for "continue" first.
 */
export type ConsentOutcome =
  | { ok: true; customerId: string }
  | { ok: false; customerId: string | null; message: string }
  | { ok: "continue"; customerId: string; redirectUrl: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const UNMATCHED = "This consent answer does not match a connection you started, or it expired. Start again from the customer's page.";

type Leg = "sign_in" | "consent";
type Claimed = { request: ConsentRequest; customer: Customer };

/**
 * Steps 2 and 3 of connecting a customer (step 1 is startConsent), one entry for the callback route, told apart by
 * the answer's shape and the phase of the attempt its `state` belongs to:
 * - a sign-in answer (`code`): Stint redeems the code itself (PKCE verifier, nonce) and learns the administrator's
 *   tenant from the ID token, then sends the admin to admin consent in that tenant under a new single-use state;
 * - a consent answer (`admin_consent`, `tenant`): counts only if `tenant` is the tenant the administrator signed in
 *   to, and is trusted only once Stint has a token for the tenant and has read its organization and domains;
 * - an error answer from either step: refused with Entra's reason.
 * A state counts once, for the member and MSP that started it, within 15 minutes of the start of its step.
 */
export async function completeConsent(ctx: ServiceContext, query: unknown): Promise<ConsentOutcome> {
  requirePermission(ctx, "customers:manage");
  requireMember(ctx);
  const params = consentCallbackInput.parse(query);
  const leg: Leg | "either" = params.error !== undefined ? "either" : params.code !== undefined ? "sign_in" : "consent";
  const claimed = await claim(ctx, params.state ?? "", leg);
  if (!claimed) return { ok: false, customerId: null, message: UNMATCHED };
  const { request, customer } = claimed;
  const fail = (message: string, metadata: Record<string, unknown> = {}) => failed(ctx, customer, message, metadata);

  if (params.error !== undefined) {
    const description = firstLine(params.error_description ?? params.error);
    const code = /AADSTS(\d+)/.exec(description)?.[1];
    if (request.phase === "sign_in") {
      const explanation = explainSignInError(code) ?? explainAadsts(code);
      return fail(explanation ? `${explanation} (${description})` : `The sign-in did not complete: ${description}`, { error: params.error, step: "sign_in" });
    }
    const explanation = explainAadsts(code);
    return fail(explanation ? `${explanation} (${description})` : description, { error: params.error });
  }
  const cloud = cloudConfig(customer.isSandbox ? "sandbox" : "microsoft");
  if (request.phase === "sign_in") return completeSignIn(ctx, cloud, request, customer, params.code ?? "");

  if (!params.tenant || !GUID.test(params.tenant)) return fail("Entra did not say which tenant consented.");
  // The `tenant` of a consent answer can be edited in the browser; a token for it proves only that Stint's app
  // is consented there, by anyone. The administrator's sign-in is what binds the answer to a tenant.
  if (params.tenant.toLowerCase() !== request.signedInTenantId?.toLowerCase()) {
    return fail(
      `Consent came from a different tenant than the administrator who signed in: the answer names tenant ${params.tenant}, but ${request.signedInUser} signed in to tenant ${request.signedInTenantId}. Start again and consent as an administrator of the tenant you sign in to.`,
      { tenant: params.tenant, signedInTenant: request.signedInTenantId, signedInUser: request.signedInUser },
    );
  }

  let facts: TenantFacts;
  try {
    facts = await readTenant(cloud, params.tenant);
  } catch (err) {
    if (err instanceof MissingPermissionsError) {
      return fail(`The consent is missing permissions Stint needs: ${err.missing.join(", ")}.`, { tenant: params.tenant });
    }
    if (err instanceof EntraError) return fail(`Stint could not verify the tenant: ${err.message}`, { tenant: params.tenant, code: err.entraCode });
    throw err;
  }
  return saveConnection(ctx, customer, facts);
}

/**
 * Uses up the attempt `state` names, if it is one this member started in this MSP, unexpired and unused, at the
 * expected step (`either` for an error answer). Atomic: of two concurrent answers with one state, one wins.
 */
async function claim(ctx: ServiceContext, state: string, leg: Leg | "either"): Promise<Claimed | null> {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const [request] = await tx
      .update(consentRequests)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(consentRequests.stateDigest, digest(state)),
          eq(consentRequests.mspId, ctx.mspId),
          eq(consentRequests.memberId, me.memberId),
          leg === "either" ? undefined : eq(consentRequests.phase, leg),
          isNull(consentRequests.usedAt),
          gt(consentRequests.expiresAt, new Date()),
        ),
      )
      .returning();
    if (!request) return null;
    const [customer] = await tx.select().from(customers).where(and(eq(customers.id, request.customerId), eq(customers.mspId, ctx.mspId)));
    return customer ? { request, customer } : null;
  });
}

async function failed(ctx: ServiceContext, customer: Customer, message: string, metadata: Record<string, unknown>): Promise<ConsentOutcome> {
  await withMspTx(ctx.mspId, (tx) =>
    recordAudit(tx, ctx, { action: "customer.connect_failed", result: "failure", reason: message, target: { type: "customer", id: customer.id, label: customer.name }, metadata }),
  );
  return { ok: false, customerId: customer.id, message };
}

/** Readable reasons for the errors a sign-in answer carries, where they differ from the consent step's. */
function explainSignInError(code: string | undefined): string | null {
  switch (code) {
    case "65004":
      return "The administrator cancelled the sign-in.";
    case "50058":
      return "Nobody is signed in to Microsoft in this browser.";
    default:
      return null;
  }
}

/**
 * The sign-in's code, redeemed: the ID token says who signed in and to which tenant. A reconnect must sign in to the
 * connected tenant. Then the attempt moves to its consent step under a new state, with a fresh 15 minutes.
 */
async function completeSignIn(ctx: ServiceContext, cloud: CloudConfig, request: ConsentRequest, customer: Customer, code: string): Promise<ConsentOutcome> {
  const fail = (message: string, metadata: Record<string, unknown> = {}) => failed(ctx, customer, message, metadata);
  if (!code) return fail("Entra did not send a sign-in code.", { step: "sign_in" });
  // Attempts started before sign-in existed have no verifier: they cannot be finished, only started again.
  if (!request.codeVerifier || !request.nonce || !request.authorityTenant) return fail(UNMATCHED, { step: "sign_in" });
  let admin: SignedInAdmin;
  try {
    admin = await redeemSignInCode(cloud, {
      tenant: request.authorityTenant,
      code,
      codeVerifier: request.codeVerifier,
      nonce: request.nonce,
      redirectUri: consentCallbackUrl(),
    });
  } catch (err) {
    if (err instanceof EntraError) {
      return fail(`Stint could not verify the administrator's sign-in: ${err.message}`, { step: "sign_in", code: err.entraCode });
    }
    throw err;
  }

  const state = newSecret();
  return withMspTx(ctx.mspId, async (tx) => {
    const [current] = await tx
      .select({ status: entraConnections.status, tenantId: entraConnections.tenantId, tenantName: entraConnections.tenantName })
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    const target = { type: "customer", id: customer.id, label: customer.name };
    const who = { tenant: admin.tenantId, user: admin.username, userId: admin.userId };
    if (current?.status === "connected" && current.tenantId.toLowerCase() !== admin.tenantId) {
      const message = `${admin.username} signed in to tenant ${admin.tenantId}, but this customer is connected to ${current.tenantName} (${current.tenantId}). Sign in as an administrator of that tenant, or disconnect first to switch tenants.`;
      await recordAudit(tx, ctx, { action: "customer.connect_failed", result: "failure", reason: message, target, metadata: { step: "sign_in", ...who } });
      return { ok: false, customerId: customer.id, message };
    }
    await tx
      .update(consentRequests)
      .set({
        phase: "consent",
        stateDigest: digest(state),
        codeVerifier: null,
        signedInTenantId: admin.tenantId,
        signedInUserId: admin.userId,
        signedInUser: admin.username,
        signedInAt: new Date(),
        expiresAt: new Date(Date.now() + CONSENT_TTL_MS),
        usedAt: null,
      })
      .where(and(eq(consentRequests.id, request.id), eq(consentRequests.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "customer.consent_signed_in", target, metadata: who });
    return { ok: "continue", customerId: customer.id, redirectUrl: adminConsentUrl(cloud, admin.tenantId, state) };
  });
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
      ...tenantFactColumns(facts),
      healthOk: true,
      healthDetail: null,
      healthCheckedAt: new Date(),
      connectedBy: me.memberId,
      connectedAt: new Date(),
      disconnectedAt: null,
      // Reconnecting is the admin's word to keep the tenant: a disconnect still waiting for grants to end is
      // called off (the grants it ended stay ended).
      disconnectRequestedAt: null,
      disconnectRequestedBy: null,
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
    const domain = !customer.upnDomain || !facts.verifiedDomains.includes(customer.upnDomain) ? { upnDomain: facts.defaultDomain } : {};
    // Until an admin chooses, the sign-in method follows what the tenant allows: a pass where it can be issued.
    const method = customer.signInMethodChosenAt ? {} : { signInMethod: defaultSignInMethod(customer, facts) };
    if (domain.upnDomain !== undefined || method.signInMethod !== undefined) {
      await tx.update(customers).set({ ...domain, ...method, updatedAt: new Date() }).where(and(eq(customers.id, customer.id), eq(customers.mspId, ctx.mspId)));
    }
    await recordAudit(tx, ctx, {
      action: current?.status === "connected" ? "customer.reconnected" : "customer.connected",
      target: { type: "customer", id: customer.id, label: customer.name },
      metadata: {
        tenant: facts.tenantId,
        tenantName: facts.tenantName,
        domains: facts.verifiedDomains,
        permissions: facts.grantedPermissions,
        signInMethod: method.signInMethod ?? customer.signInMethod,
      },
    });
    return { ok: true, customerId: customer.id };
  });
}

/** Temporary Access Pass where the cloud has it, the consent allows it and the tenant's policy covers new accounts. */
function defaultSignInMethod(customer: Customer, facts: TenantFacts): SignInMethod {
  const cloud = customer.isSandbox ? "sandbox" : "microsoft";
  const usable = supportsTap(cloud) && grantsTapPermissions(facts.grantedPermissions) && facts.tapPolicy !== null && coversNewAccounts(facts.tapPolicy);
  return usable ? "tap" : "password";
}
