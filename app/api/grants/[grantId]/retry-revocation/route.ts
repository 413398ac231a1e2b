import { sessionRoute } from "@/lib/http/route";
import { retryRevocation } from "@/lib/services/grants/retry-revocation";

export const POST = sessionRoute({ permission: "grants:revoke" }, async ({ ctx, params }) => {
  const grant = await retryRevocation(ctx, params.grantId!);
  return { id: grant.id, state: grant.state };
});
