import { sessionRoute } from "@/lib/http/route";
import { listAllGrants, listMyGrants } from "@/lib/services/grants/list";
import { requestGrant } from "@/lib/services/grants/request";

/** GET: the caller's grants, or with ?all=1 every grant of the MSP (grants:read_all). */
export const GET = sessionRoute({}, async ({ query, ctx }) => {
  const { all, ...filter } = query;
  return { grants: all === "1" ? await listAllGrants(ctx, filter) : await listMyGrants(ctx, filter) };
});

export const POST = sessionRoute({}, async ({ ctx, readJson }) => {
  const grant = await requestGrant(ctx, await readJson());
  return { id: grant.id, state: grant.state, upn: grant.upn, startAt: grant.startAt.toISOString() };
});
