import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createTeam } from "@/lib/services/teams/create";

export const POST = route(operations.createTeam, async ({ ctx, rawBody }) => {
  const team = await createTeam(ctx, rawBody);
  return { id: team.id, name: team.name };
});
