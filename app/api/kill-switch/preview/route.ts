import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { previewKillSwitch } from "@/lib/services/grants/preview-kill-switch";

export const POST = route(operations.previewKillSwitch, async ({ ctx, rawBody }) => previewKillSwitch(ctx, rawBody));
