import { accessHooks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { newSigningSecret } from "@/lib/notifications/signature";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { getPolicyInMsp } from "@/lib/services/policies/internal";
import { assertPsaConnection, policyHooks, publicHook } from "./internal";
import { hookInput } from "./schemas";
import { sealHookSecret } from "./secrets";

/**
 * Adds a hook at the end of a policy's hooks. A webhook gets a signing secret, returned here once and
 * never again (receivers verify each call with it).
 */
export async function createAccessHook(ctx: ServiceContext, policyId: string, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  // Hooks decide who gets admin access, and where its details are sent: a fresh passkey.
  requireFreshStepUp(ctx);
  const hook = hookInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const policy = await getPolicyInMsp(tx, ctx.mspId, policyId);
    if (hook.kind === "psa_ticket") await assertPsaConnection(tx, ctx.mspId, hook.psaConnectionId);
    const position = (await policyHooks(tx, ctx.mspId, policy.id)).length + 1;
    const id = newId("accessHook");
    const secret = hook.kind === "webhook" ? newSigningSecret() : null;
    const [row] = await tx
      .insert(accessHooks)
      .values({
        id,
        mspId: ctx.mspId,
        policyId: policy.id,
        position,
        name: hook.name,
        kind: hook.kind,
        events: hook.events,
        timeoutMs: hook.timeoutMs,
        onFailure: hook.onFailure,
        ...(hook.kind === "webhook" ? { url: hook.url, secretEnvelope: sealHookSecret(id, secret!) } : { psaConnectionId: hook.psaConnectionId, psaOptions: hook.psaOptions }),
      })
      .returning();
    const { url: _url, ...described } = hook as typeof hook & { url?: string };
    await recordAudit(tx, ctx, { action: "access_hook.created", target: { type: "access_hook", id, label: hook.name }, metadata: { policyId: policy.id, hook: described, position } });
    return { hook: publicHook(row!), ...(secret ? { secret } : {}) };
  });
}
