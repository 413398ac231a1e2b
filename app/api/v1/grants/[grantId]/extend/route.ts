import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { labelGrant } from "@/lib/services/grants/label";
import { extendGrant } from "@/lib/services/grants/extend";
import { getGrant } from "@/lib/services/grants/get";

export const POST = apiRoute(operations.extendGrant, async ({ ctx, params, rawBody }) => {
  // getGrant applies visibility and the token's customer restriction (404), which extendGrant does not.
  await getGrant(ctx, params.grantId);
  return grantDto(await labelGrant(ctx, await extendGrant(ctx, params.grantId, rawBody)));
});
