import { and, eq, inArray } from "drizzle-orm";
import { entraConnections, grants, orphanAccounts } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor } from "@/lib/entra/graph";
import { grantsTapPermissions } from "@/lib/entra/permissions";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { liveStates } from "@/lib/grants/states";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import type { SystemContext } from "@/lib/services/context";
import { runExpiryAction } from "./expiry-actions";

/**
 * Job grant.reconcile_orphans: lists the Stint-tagged accounts in each connected tenant of one MSP; one
 * that is enabled or holds roles without a live grant (a crash, a manual restore, a lost row) has its
 * roles and any Temporary Access Pass removed and is disabled, each verified, and is reported in the
 * console. An account is a live grant's only if tenant, grant id and UPN all match the grant: a tag is a
 * user property anyone with write access to the tenant could copy onto another account.
 */
export async function reconcileOrphans(ctx: SystemContext): Promise<{ scanned: number; disabled: number; errors: number }> {
  const mspId = ctx.mspId;
  const connections = await withMspTx(mspId, (tx) =>
    tx.select().from(entraConnections).where(and(eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected"))),
  );
  let scanned = 0;
  let disabled = 0;
  let errors = 0;
  for (const connection of connections) {
    const graph = graphFor(cloudConfig(connection.cloud), connection.tenantId);
    let tagged;
    try {
      tagged = await graph.findUsers(`employeeType eq '${STINT_EMPLOYEE_TYPE}'`);
    } catch (err) {
      if (err instanceof EntraError) {
        errors += 1;
        continue;
      }
      throw err;
    }
    scanned += tagged.length;
    const grantIds = tagged.map((u) => u.employeeId).filter((id): id is string => Boolean(id));
    const live = new Map(
      grantIds.length === 0
        ? []
        : (
            await withMspTx(mspId, (tx) =>
              tx
                .select({ id: grants.id, upn: grants.upn })
                .from(grants)
                .where(and(eq(grants.mspId, mspId), eq(grants.entraTenantId, connection.tenantId), inArray(grants.id, grantIds), inArray(grants.state, [...liveStates]))),
            )
          ).map((g) => [g.id, g.upn.toLowerCase()] as const),
    );
    const withPasses = grantsTapPermissions(connection.grantedPermissions);
    for (const user of tagged) {
      if (user.employeeId && live.get(user.employeeId) === user.userPrincipalName.toLowerCase()) continue;
      const roles = await graph.listRoleAssignmentsOf(user.id).catch(() => []);
      if (user.accountEnabled === false && roles.length === 0) continue;
      let detail: string;
      let done = false;
      try {
        const steps = [await runExpiryAction.remove_roles(graph, user.id)];
        if (withPasses) steps.push(await runExpiryAction.remove_tap(graph, user.id));
        steps.push(await runExpiryAction.disable(graph, user.id));
        detail = steps.join("; ");
        done = true;
        disabled += 1;
      } catch (err) {
        detail = `Could not disable: ${err instanceof Error ? err.message : String(err)}`;
        errors += 1;
      }
      await withMspTx(mspId, async (tx) => {
        const values = { detail, disabledAt: done ? new Date() : null, foundAt: new Date() };
        await tx
          .insert(orphanAccounts)
          .values({ id: newId("orphan"), mspId, customerId: connection.customerId, entraUserId: user.id, userPrincipalName: user.userPrincipalName, grantId: user.employeeId ?? null, ...values })
          .onConflictDoUpdate({ target: [orphanAccounts.mspId, orphanAccounts.entraUserId], set: values });
        await recordAudit(tx, ctx, {
          action: "grant.orphan_found",
          result: done ? "success" : "failure",
          reason: detail,
          target: { type: "entra_user", id: user.id, label: user.userPrincipalName },
          metadata: { customer: connection.customerId, grant: user.employeeId ?? null },
        });
      });
    }
  }
  return { scanned, disabled, errors };
}
