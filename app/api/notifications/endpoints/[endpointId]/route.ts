import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removeEndpoint } from "@/lib/services/notifications/remove-endpoint";
import { updateEndpoint } from "@/lib/services/notifications/update-endpoint";

export const PATCH = route(operations.updateNotificationEndpoint, async ({ ctx, params, rawBody }) => updateEndpoint(ctx, params.endpointId, rawBody));

export const DELETE = route(operations.removeNotificationEndpoint, async ({ ctx, params }) => {
  await removeEndpoint(ctx, params.endpointId);
  return null;
});
