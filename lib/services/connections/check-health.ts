import { and, eq } from "drizzle-orm";
import { entraConnections, type EntraConnection } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError, MissingPermissionsError } from "@/lib/entra/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { retryRevocationsNow } from "@/lib/services/grants/retry-revocation";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import type { SystemContext } from "@/lib/services/context";
import { readTenant, tenantFactColumns } from "./read-tenant";

export type HealthVerdict = { ok: boolean; detail: string | null };

/**
 * Health of one connection: a token, the core permissions, and the organization and domains readable.
 * The Temporary Access Pass policy is read along; what it means for sign-in is shown, not a health verdict.
 */
async function probe(connection: EntraConnection): Promise<{ verdict: HealthVerdict; facts?: Awaited<ReturnType<typeof readTenant>>; granted?: string[] }> {
  try {
    const facts = await readTenant(cloudConfig(connection.cloud), connection.tenantId);
    if (facts.verifiedDomains.length === 0) return { verdict: { ok: false, detail: "The tenant has no verified domain." }, facts };
    return { verdict: { ok: true, detail: null }, facts };
  } catch (err) {
    if (err instanceof MissingPermissionsError) return { verdict: { ok: false, detail: err.message }, granted: err.granted };
    if (err instanceof EntraError) return { verdict: { ok: false, detail: err.message } };
    if (err instanceof Error && "code" in err && err.code === "conflict") return { verdict: { ok: false, detail: err.message } };
    throw err;
  }
}

/**
 * Checks every connected tenant of one MSP (or one customer's) and stores each verdict with its time (job
 * connection.check). A change between healthy and unhealthy is written to the audit log, the way to unhealthy
 * as an alert; a recovered tenant's irrevocable grants are retried at once.
 */
export async function checkConnections(ctx: SystemContext, customerId?: string): Promise<{ checked: number; unhealthy: number }> {
  const mspId = ctx.mspId;
  const scope = [eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected")];
  if (customerId) scope.push(eq(entraConnections.customerId, customerId));
  const connections = await withMspTx(mspId, (tx) => tx.select().from(entraConnections).where(and(...scope)));
  let unhealthy = 0;
  for (const connection of connections) {
    const { verdict, facts, granted } = await probe(connection);
    if (!verdict.ok) unhealthy += 1;
    const retried = await withMspTx(mspId, async (tx) => {
      await tx
        .update(entraConnections)
        .set({
          healthOk: verdict.ok,
          healthDetail: verdict.detail,
          healthCheckedAt: new Date(),
          unhealthySince: verdict.ok ? null : (connection.unhealthySince ?? new Date()),
          ...(granted ? { grantedPermissions: granted } : {}),
          ...(facts ? tenantFactColumns(facts) : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(entraConnections.id, connection.id), eq(entraConnections.mspId, mspId)));
      if (verdict.ok === connection.healthOk) return [];
      await recordAudit(tx, ctx, {
        action: verdict.ok ? "connection.recovered" : "connection.unhealthy",
        result: verdict.ok ? "success" : "failure",
        reason: verdict.detail,
        target: { type: "customer", id: connection.customerId, label: connection.tenantName },
        metadata: verdict.ok ? {} : { alert: true },
      });
      return verdict.ok ? retryRevocationsNow(tx, ctx, { customerId: connection.customerId }) : [];
    });
    await Promise.all(retried.map((grant) => scheduleExpiry(grant, { now: true })));
  }
  return { checked: connections.length, unhealthy };
}
