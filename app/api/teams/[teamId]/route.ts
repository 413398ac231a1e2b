import { sessionRoute } from "@/lib/http/route";
import { removeTeam } from "@/lib/services/teams/remove";

export const DELETE = sessionRoute({ permission: "delegations:manage" }, async ({ ctx, params }) => {
  await removeTeam(ctx, params.teamId!);
  return null;
});
