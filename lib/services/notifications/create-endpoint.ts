import { notificationEndpoints } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { newSigningSecret } from "@/lib/notifications/signature";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endpointView } from "./internal";
import { endpointInput } from "./schemas";
import { sealEndpointUrl, sealSigningSecret } from "./secrets";

/**
 * Adds an endpoint. Where notifications go is sensitive (they name accounts and customers), so it takes a fresh
 * passkey. A signed webhook's secret is returned here, once; only its envelope is kept.
 */
export async function createEndpoint(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "notifications:manage");
  requireFreshStepUp(ctx);
  const spec = endpointInput.parse(input);
  const id = newId("notificationEndpoint");
  const secret = spec.kind === "webhook" ? newSigningSecret() : null;
  const row = await withMspTx(ctx.mspId, async (tx) => {
    const [created] = await tx
      .insert(notificationEndpoints)
      .values({
        id,
        mspId: ctx.mspId,
        kind: spec.kind,
        name: spec.name,
        events: spec.events,
        customerIds: spec.customerIds,
        emailTo: spec.kind === "email" ? spec.emailTo : null,
        urlEnvelope: spec.kind === "email" ? null : sealEndpointUrl(id, spec.url),
        urlHost: spec.kind === "email" ? null : new URL(spec.url).host,
        secretEnvelope: secret ? sealSigningSecret(id, secret) : null,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: "notification.endpoint_created",
      target: { type: "notification_endpoint", id, label: spec.name },
      metadata: { kind: spec.kind, events: spec.events, customers: spec.customerIds },
    });
    return created!;
  });
  return { endpoint: endpointView(row), secret };
}
