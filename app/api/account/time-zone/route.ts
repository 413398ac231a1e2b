import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { updateMyTimeZone } from "@/lib/services/members/update-my-time-zone";

export const PUT = route(operations.updateMyTimeZone, async ({ ctx, body }) => updateMyTimeZone(ctx, body));
