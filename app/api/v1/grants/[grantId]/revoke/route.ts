import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { endGrant } from "@/lib/services/grants/end";
import { getGrant } from "@/lib/services/grants/get";
import { labelGrant } from "@/lib/services/grants/label";

export const POST = route(operations.revokeGrant, async ({ ctx, params, rawBody }) => {
  // getGrant applies visibility and the token's customer restriction (404), which endGrant does not.
  await getGrant(ctx, params.grantId);
  return grantDto(await labelGrant(ctx, await endGrant(ctx, params.grantId, "revoked", rawBody)));
});
