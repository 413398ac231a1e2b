import { and, eq } from "drizzle-orm";
import { notificationEndpoints } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { endpointView, lockEndpoint } from "./internal";
import { endpointChange } from "./schemas";
import { sealEndpointUrl } from "./secrets";

/** Changes an endpoint; turning it on again starts its failure count afresh. Needs a fresh passkey. */
export async function updateEndpoint(ctx: ServiceContext, endpointId: string, input: unknown) {
  requirePermission(ctx, "notifications:manage");
  requireFreshStepUp(ctx);
  const change = endpointChange.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const current = await lockEndpoint(tx, ctx, endpointId);
    if (change.url && current.kind === "email") throw new AppError("bad_request", "An e-mail endpoint has addresses, not a URL.");
    if (change.emailTo && current.kind !== "email") throw new AppError("bad_request", "Only an e-mail endpoint has addresses.");
    const reenabled = change.enabled === true && !current.enabled;
    const [row] = await tx
      .update(notificationEndpoints)
      .set({
        name: change.name,
        events: change.events,
        customerIds: change.customerIds,
        emailTo: change.emailTo,
        enabled: change.enabled,
        ...(change.url ? { urlEnvelope: sealEndpointUrl(current.id, change.url), urlHost: new URL(change.url).host } : {}),
        ...(reenabled || change.enabled === false ? { consecutiveFailures: 0, failingSince: null, disabledReason: null } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(notificationEndpoints.id, current.id), eq(notificationEndpoints.mspId, ctx.mspId)))
      .returning();
    const changed = Object.keys(change).filter((k) => k !== "url");
    await recordAudit(tx, ctx, {
      action: "notification.endpoint_updated",
      target: { type: "notification_endpoint", id: current.id, label: row!.name },
      metadata: { changed: change.url ? [...changed, "url"] : changed, enabled: row!.enabled },
    });
    return endpointView(row!);
  });
}
