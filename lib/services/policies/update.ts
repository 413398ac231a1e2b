import { and, eq } from "drizzle-orm";
import { accessPolicies } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { assertReferences, getPolicyInMsp, policyConflict } from "./internal";
import { accessPolicyInput } from "./schemas";

/** Changes a policy for requests from now on: grants already made keep the terms they were made under. */
export async function updateAccessPolicy(ctx: ServiceContext, policyId: string, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  const policy = accessPolicyInput.parse(input);
  try {
    return await withMspTx(ctx.mspId, async (tx) => {
      const before = await getPolicyInMsp(tx, ctx.mspId, policyId);
      await assertReferences(tx, ctx.mspId, policy);
      const [row] = await tx
        .update(accessPolicies)
        .set({ ...policy, updatedAt: new Date() })
        .where(and(eq(accessPolicies.id, before.id), eq(accessPolicies.mspId, ctx.mspId)))
        .returning();
      const { id: _id, mspId: _msp, createdAt: _c, updatedAt: _u, ...from } = before;
      await recordAudit(tx, ctx, { action: "access_policy.updated", target: { type: "access_policy", id: before.id, label: policy.name }, metadata: { from, to: policy } });
      return row!;
    });
  } catch (err) {
    throw policyConflict(err, policy.name) ?? err;
  }
}
