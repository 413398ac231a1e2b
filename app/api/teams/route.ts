import { sessionRoute } from "@/lib/http/route";
import { createTeam } from "@/lib/services/teams/create";

export const POST = sessionRoute({ permission: "delegations:manage" }, async ({ ctx, readJson }) => {
  const team = await createTeam(ctx, await readJson());
  return { id: team.id, name: team.name };
});
