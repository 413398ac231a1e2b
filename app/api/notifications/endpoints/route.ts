import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createEndpoint } from "@/lib/services/notifications/create-endpoint";
import { listEndpoints } from "@/lib/services/notifications/list-endpoints";

export const GET = route(operations.listNotificationEndpoints, async ({ ctx }) => ({ items: await listEndpoints(ctx) }));

export const POST = route(operations.createNotificationEndpoint, async ({ ctx, rawBody }) => createEndpoint(ctx, rawBody));
