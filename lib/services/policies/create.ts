import { accessPolicies } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { assertReferences, policyConflict } from "./internal";
import { accessPolicyInput } from "./schemas";

export async function createAccessPolicy(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  const policy = accessPolicyInput.parse(input);
  try {
    return await withMspTx(ctx.mspId, async (tx) => {
      await assertReferences(tx, ctx.mspId, policy);
      const [row] = await tx.insert(accessPolicies).values({ id: newId("accessPolicy"), mspId: ctx.mspId, ...policy }).returning();
      await recordAudit(tx, ctx, { action: "access_policy.created", target: { type: "access_policy", id: row!.id, label: policy.name }, metadata: { policy } });
      return row!;
    });
  } catch (err) {
    throw policyConflict(err, policy.name) ?? err;
  }
}
