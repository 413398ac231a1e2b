import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { iso, isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { getGrant } from "@/lib/services/grants/get";

export const GET = route(operations.getGrant, async ({ ctx, params }) => {
  const { grant, customer, steps } = await getGrant(ctx, params.grantId);
  return {
    ...grantDto(grant),
    hasCredential: grant.hasCredential,
    expiryActions: grant.expiryActions,
    customer,
    steps: steps.map((st) => ({ id: st.id, step: st.step, status: st.status, startedAt: isoRequired(st.startedAt), finishedAt: iso(st.finishedAt), detail: st.detail })),
  };
});
