import { and, eq } from "drizzle-orm";
import { accessPolicies } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getPolicyInMsp } from "./internal";

/** Removes a policy: what it covered falls back to the next less specific policy (or none). */
export async function removeAccessPolicy(ctx: ServiceContext, policyId: string) {
  requirePermission(ctx, "access_policies:manage");
  await withMspTx(ctx.mspId, async (tx) => {
    const policy = await getPolicyInMsp(tx, ctx.mspId, policyId);
    await tx.delete(accessPolicies).where(and(eq(accessPolicies.id, policy.id), eq(accessPolicies.mspId, ctx.mspId)));
    await recordAudit(tx, ctx, { action: "access_policy.removed", target: { type: "access_policy", id: policy.id, label: policy.name } });
  });
}
