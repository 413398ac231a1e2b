import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { setTeamMembership } from "@/lib/services/teams/set-membership";

export const PUT = route(operations.setTeamMembership, async ({ ctx, params, rawBody }) => {
  await setTeamMembership(ctx, params.teamId, rawBody);
  return null;
});
