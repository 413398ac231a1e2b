import { asc, eq } from "drizzle-orm";
import { notificationEndpoints } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { endpointView } from "./internal";

export async function listEndpoints(ctx: ServiceContext) {
  requirePermission(ctx, "notifications:manage");
  const rows = await withMspTx(ctx.mspId, (tx) =>
    tx.select().from(notificationEndpoints).where(eq(notificationEndpoints.mspId, ctx.mspId)).orderBy(asc(notificationEndpoints.createdAt)),
  );
  return rows.map(endpointView);
}
