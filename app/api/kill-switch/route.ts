import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { pullKillSwitch } from "@/lib/services/grants/kill-switch";

export const POST = route(operations.pullKillSwitch, async ({ ctx, rawBody }) => pullKillSwitch(ctx, rawBody));
