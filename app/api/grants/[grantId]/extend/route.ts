import { sessionRoute } from "@/lib/http/route";
import { extendGrant } from "@/lib/services/grants/extend";

export const POST = sessionRoute({}, async ({ ctx, params, readJson }) => {
  const grant = await extendGrant(ctx, params.grantId!, await readJson());
  return { id: grant.id, endsAt: grant.endsAt?.toISOString() ?? null, extendedMinutes: grant.extendedMinutes };
});
