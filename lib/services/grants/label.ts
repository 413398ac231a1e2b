import { withMspTx } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";
import { grantLabelsIn } from "./internal";

/**
 * A grant the caller has just acted on (request, extend, end) with its customer's and access levels'
 * names, for the API's Grant shape. The service that acted has already decided the caller may see it.
 */
export async function labelGrant<G extends { id: string }>(ctx: ServiceContext, grant: G) {
  const labels = await withMspTx(ctx.mspId, (tx) => grantLabelsIn(tx, ctx.mspId, grant.id));
  return { ...grant, ...labels };
}
