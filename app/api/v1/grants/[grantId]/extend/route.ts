import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { labelGrant } from "@/lib/services/grants/label";
import { extendGrant } from "@/lib/services/grants/extend";
import { getGrant } from "@/lib/services/grants/get";

export const POST = route(operations.extendGrant, async ({ ctx, params, rawBody }) => {
  // getGrant applies visibility and the token's customer restriction (404), which extendGrant does not.
  await getGrant(ctx, params.grantId);
  return grantDto(await labelGrant(ctx, await extendGrant(ctx, params.grantId, rawBody)));
});
