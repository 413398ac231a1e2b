import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { sendTestNotification } from "@/lib/services/notifications/send-test";

export const POST = route(operations.sendTestNotification, async ({ ctx, params }) => sendTestNotification(ctx, params.endpointId));
