import { sessionRoute } from "@/lib/http/route";
import { pullKillSwitch } from "@/lib/services/grants/kill-switch";

export const POST = sessionRoute({ permission: "grants:kill_switch" }, async ({ ctx, readJson }) => pullKillSwitch(ctx, await readJson()));
