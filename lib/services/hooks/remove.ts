import { and, eq } from "drizzle-orm";
import { accessHooks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { hookInMsp, policyHooks, renumber } from "./internal";

/** Removes a hook from its policy; grants it already took part in keep what it said, and get no more calls from it. */
export async function removeAccessHook(ctx: ServiceContext, hookId: string) {
  requirePermission(ctx, "access_policies:manage");
  // Hooks decide who gets admin access, and where its details are sent: a fresh passkey.
  requireFreshStepUp(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const hook = await hookInMsp(tx, ctx.mspId, hookId);
    await tx.delete(accessHooks).where(and(eq(accessHooks.id, hook.id), eq(accessHooks.mspId, ctx.mspId)));
    await renumber(tx, ctx.mspId, await policyHooks(tx, ctx.mspId, hook.policyId));
    await recordAudit(tx, ctx, { action: "access_hook.removed", target: { type: "access_hook", id: hook.id, label: hook.name }, metadata: { policyId: hook.policyId } });
    return { removed: true };
  });
}
