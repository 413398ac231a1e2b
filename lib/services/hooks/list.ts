import { and, asc, eq } from "drizzle-orm";
import { accessHooks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getPolicyInMsp } from "@/lib/services/policies/internal";
import { publicHook } from "./internal";

/** A policy's hooks, in the order they run. */
export async function listAccessHooks(ctx: ServiceContext, policyId: string) {
  requirePermission(ctx, "access_policies:manage");
  return withMspTx(ctx.mspId, async (tx) => {
    const policy = await getPolicyInMsp(tx, ctx.mspId, policyId);
    const rows = await tx.select().from(accessHooks).where(and(eq(accessHooks.mspId, ctx.mspId), eq(accessHooks.policyId, policy.id))).orderBy(asc(accessHooks.position));
    return rows.map(publicHook);
  });
}
