import { and, eq } from "drizzle-orm";
import { entraConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import type { ServiceContext } from "@/lib/services/context";
import { getVisibleCustomer } from "./internal";

/** One customer the actor may see, with its Entra connection (if any). */
export async function getCustomer(ctx: ServiceContext, customerId: string) {
  return withMspTx(ctx.mspId, async (tx) => {
    const customer = await getVisibleCustomer(tx, ctx, customerId);
    const [connection] = await tx
      .select()
      .from(entraConnections)
      .where(and(eq(entraConnections.customerId, customer.id), eq(entraConnections.mspId, ctx.mspId)));
    return { customer, connection: connection ?? null };
  });
}
