import { and, eq } from "drizzle-orm";
import { entraConnections, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { graphFor } from "@/lib/entra/graph";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { isNotFound, waitOutReplication } from "./graph-outcomes";

/**
 * Removes whatever a failed provisioning left in Entra: role assignments first (app-only credentials
 * cannot delete a user who still holds a privileged role), then the user, then its soft-deleted copy.
 * Only an account tagged with this grant is touched.
 */
export async function removeJitAccount(grant: Grant): Promise<void> {
  const connection = await withMspTx(grant.mspId, async (tx) => {
    const [row] = await tx.select().from(entraConnections).where(and(eq(entraConnections.customerId, grant.customerId), eq(entraConnections.mspId, grant.mspId)));
    return row;
  });
  if (!connection || connection.tenantId !== grant.entraTenantId) return;
  const graph = graphFor(cloudConfig(connection.cloud), grant.entraTenantId);
  let userId = grant.entraUserId;
  if (!userId) {
    // By UPN, through replication lag: a list filter would lag too and miss a just-created account.
    const found = await waitOutReplication(() => graph.getUser(grant.upn)).catch((err) => {
      if (isNotFound(err)) return null;
      throw err;
    });
    if (!found || found.employeeType !== STINT_EMPLOYEE_TYPE || found.employeeId !== grant.id) return;
    userId = found.id;
  }
  try {
    for (const assignment of await graph.listRoleAssignmentsOf(userId)) {
      await graph.deleteRoleAssignment(assignment.id).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    }
    await graph.deleteUser(userId);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await graph.permanentlyDeleteUser(userId).catch((err) => {
    if (!isNotFound(err)) throw err;
  });
}
