import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { listDeliveries } from "@/lib/services/notifications/list-deliveries";

export const GET = route(operations.listNotificationDeliveries, async ({ ctx, params }) => ({ items: await listDeliveries(ctx, params.endpointId) }));
