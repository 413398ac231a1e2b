import { asc, eq } from "drizzle-orm";
import { psaConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { publicPsaConnection } from "./internal";

/** The MSP's PSA connections (addresses and last check, never credentials). */
export async function listPsaConnections(ctx: ServiceContext) {
  requirePermission(ctx, "access_policies:manage");
  return withMspTx(ctx.mspId, async (tx) => (await tx.select().from(psaConnections).where(eq(psaConnections.mspId, ctx.mspId)).orderBy(asc(psaConnections.kind))).map(publicPsaConnection));
}
