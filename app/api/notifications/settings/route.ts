import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { getNotificationSettings } from "@/lib/services/notifications/get-settings";
import { updateNotificationSettings } from "@/lib/services/notifications/update-settings";

export const GET = route(operations.getNotificationSettings, async ({ ctx }) => getNotificationSettings(ctx));

export const PUT = route(operations.updateNotificationSettings, async ({ ctx, rawBody }) => updateNotificationSettings(ctx, rawBody));
