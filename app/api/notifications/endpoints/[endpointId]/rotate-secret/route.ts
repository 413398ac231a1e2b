import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { rotateSigningSecret } from "@/lib/services/notifications/rotate-secret";

export const POST = route(operations.rotateNotificationSecret, async ({ ctx, params, rawBody }) => rotateSigningSecret(ctx, params.endpointId, rawBody));
