import { and, eq } from "drizzle-orm";
import { psaConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { PsaError } from "@/lib/psa/types";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaClientOf, psaConnectionInMsp, publicPsaConnection } from "./internal";

/** Signs in to the PSA and reads from it: the answer says whether the settings work, and why not. */
export async function checkPsaConnection(ctx: ServiceContext, connectionId: string) {
  requirePermission(ctx, "access_policies:manage");
  const connection = await withMspTx(ctx.mspId, (tx) => psaConnectionInMsp(tx, ctx.mspId, connectionId));
  let checkError: string | null = null;
  try {
    await psaClientOf(connection).check();
  } catch (err) {
    if (!(err instanceof PsaError)) throw err;
    checkError = err.message;
  }
  return withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .update(psaConnections)
      .set({ checkedAt: new Date(), checkError })
      .where(and(eq(psaConnections.id, connection.id), eq(psaConnections.mspId, ctx.mspId)))
      .returning();
    await recordAudit(tx, ctx, { action: "psa_connection.checked", result: checkError ? "failure" : "success", reason: checkError, target: { type: "psa_connection", id: connection.id, label: connection.name } });
    return publicPsaConnection(row!);
  });
}
