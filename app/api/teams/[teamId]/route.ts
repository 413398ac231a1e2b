import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removeTeam } from "@/lib/services/teams/remove";

export const DELETE = route(operations.removeTeam, async ({ ctx, params }) => {
  await removeTeam(ctx, params.teamId);
  return null;
});
