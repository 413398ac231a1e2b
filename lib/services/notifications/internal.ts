import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { notificationEndpoints, type NotificationEndpoint } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";

/** The endpoint of the caller's MSP, locked for the change that follows; 404 for anything else. */
export async function lockEndpoint(tx: Tx, ctx: ServiceContext, endpointId: string): Promise<NotificationEndpoint> {
  const [row] = await tx
    .select()
    .from(notificationEndpoints)
    .where(and(eq(notificationEndpoints.id, endpointId), eq(notificationEndpoints.mspId, ctx.mspId)))
    .for("update");
  if (!row) throw notFound("Notification endpoint");
  return row;
}

/** What the console and API show of an endpoint: never its URL (a credential) nor its secrets. */
export function endpointView(e: NotificationEndpoint) {
  return {
    id: e.id,
    kind: e.kind,
    name: e.name,
    emailTo: e.emailTo,
    urlHost: e.urlHost,
    events: e.events,
    customerIds: e.customerIds,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    consecutiveFailures: e.consecutiveFailures,
    failingSince: e.failingSince?.toISOString() ?? null,
    previousSecretUntil: e.previousSecretUntil?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}
export type EndpointView = ReturnType<typeof endpointView>;
