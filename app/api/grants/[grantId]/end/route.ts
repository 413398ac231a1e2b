import { sessionRoute } from "@/lib/http/route";
import { endGrant } from "@/lib/services/grants/end";

export const POST = sessionRoute({}, async ({ ctx, params }) => {
  const grant = await endGrant(ctx, params.grantId!, "ended_by_technician");
  return { id: grant.id, state: grant.state };
});
