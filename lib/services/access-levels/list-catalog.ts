import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { roleCatalog } from "./catalog";

/** The directory roles an access level of this MSP may bundle (built-in, plus custom roles of connected tenants). */
export async function listRoleCatalog(ctx: ServiceContext) {
  requirePermission(ctx, "access_levels:manage");
  return withMspTx(ctx.mspId, (tx) => roleCatalog(tx, ctx.mspId));
}
