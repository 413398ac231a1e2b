import { and, eq } from "drizzle-orm";
import { accessHooks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { hookInMsp, policyHooks, publicHook, renumber } from "./internal";
import { hookChange } from "./schemas";

/** Changes a hook; a new position moves it among its policy's hooks. */
export async function updateAccessHook(ctx: ServiceContext, hookId: string, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  // Hooks decide who gets admin access, and where its details are sent: a fresh passkey.
  requireFreshStepUp(ctx);
  const change = hookChange.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const current = await hookInMsp(tx, ctx.mspId, hookId);
    if (change.url !== undefined && current.kind !== "webhook") throw new AppError("validation_failed", "Only a webhook has a URL.", { field: "url" });
    if (change.psaOptions !== undefined && current.kind !== "psa_ticket") throw new AppError("validation_failed", "Only a PSA ticket check has PSA options.", { field: "psaOptions" });
    const { position, ...fields } = change;
    const [row] = await tx
      .update(accessHooks)
      .set({ ...fields, updatedAt: new Date() })
      .where(and(eq(accessHooks.id, current.id), eq(accessHooks.mspId, ctx.mspId)))
      .returning();
    if (position !== undefined) {
      const others = (await policyHooks(tx, ctx.mspId, current.policyId)).filter((h) => h.id !== current.id);
      others.splice(Math.min(position, others.length + 1) - 1, 0, row!);
      await renumber(tx, ctx.mspId, others);
    }
    const { url: _url, ...described } = change;
    await recordAudit(tx, ctx, { action: "access_hook.updated", target: { type: "access_hook", id: current.id, label: row!.name }, metadata: { change: described, urlChanged: change.url !== undefined } });
    const [fresh] = await tx.select().from(accessHooks).where(and(eq(accessHooks.id, current.id), eq(accessHooks.mspId, ctx.mspId)));
    return publicHook(fresh!);
  });
}
