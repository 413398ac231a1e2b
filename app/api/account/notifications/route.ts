import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { getMyNotificationPreferences } from "@/lib/services/notifications/get-preferences";
import { updateMyNotificationPreferences } from "@/lib/services/notifications/update-preferences";

export const GET = route(operations.getMyNotificationPreferences, async ({ ctx }) => getMyNotificationPreferences(ctx));

export const PUT = route(operations.updateMyNotificationPreferences, async ({ ctx, rawBody }) => updateMyNotificationPreferences(ctx, rawBody));
