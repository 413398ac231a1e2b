import { sessionRoute } from "@/lib/http/route";
import { endGrant } from "@/lib/services/grants/end";

export const POST = sessionRoute({ permission: "grants:revoke" }, async ({ ctx, params }) => {
  const grant = await endGrant(ctx, params.grantId!, "revoked");
  return { id: grant.id, state: grant.state };
});
