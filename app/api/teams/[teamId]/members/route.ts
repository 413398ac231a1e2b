import { sessionRoute } from "@/lib/http/route";
import { setTeamMembership } from "@/lib/services/teams/set-membership";

export const PUT = sessionRoute({ permission: "delegations:manage" }, async ({ ctx, params, readJson }) => {
  await setTeamMembership(ctx, params.teamId!, await readJson());
  return { ok: true };
});
