import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { revokeToken } from "@/lib/services/tokens/revoke";

export const DELETE = apiRoute(operations.revokeToken, async ({ ctx, params }) => {
  await revokeToken(ctx, params.tokenId);
  return null;
});
