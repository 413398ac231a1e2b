import { and, eq } from "drizzle-orm";
import { notificationEndpoints } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { newSigningSecret } from "@/lib/notifications/signature";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endpointView, lockEndpoint } from "./internal";
import { rotateSecretInput } from "./schemas";
import { sealSigningSecret } from "./secrets";

/**
 * Gives a signed webhook a new secret, returned once. The old one keeps signing alongside it for the grace
 * period (two signatures per message), so a receiver can switch without rejecting a message.
 */
export async function rotateSigningSecret(ctx: ServiceContext, endpointId: string, input: unknown, now = new Date()) {
  requirePermission(ctx, "notifications:manage");
  requireFreshStepUp(ctx);
  const { graceHours } = rotateSecretInput.parse(input ?? {});
  return withMspTx(ctx.mspId, async (tx) => {
    const current = await lockEndpoint(tx, ctx, endpointId);
    if (current.kind !== "webhook") throw new AppError("bad_request", "Only a signed webhook has a signing secret.");
    const secret = newSigningSecret();
    const [row] = await tx
      .update(notificationEndpoints)
      .set({
        secretEnvelope: sealSigningSecret(current.id, secret),
        previousSecretEnvelope: graceHours > 0 ? current.secretEnvelope : null,
        previousSecretUntil: graceHours > 0 ? new Date(now.getTime() + graceHours * 3_600_000) : null,
        updatedAt: new Date(),
      })
      .where(and(eq(notificationEndpoints.id, current.id), eq(notificationEndpoints.mspId, ctx.mspId)))
      .returning();
    await recordAudit(tx, ctx, { action: "notification.secret_rotated", target: { type: "notification_endpoint", id: current.id, label: current.name }, metadata: { graceHours } });
    return { endpoint: endpointView(row!), secret };
  });
}
