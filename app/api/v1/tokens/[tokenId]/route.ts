import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { revokeToken } from "@/lib/services/tokens/revoke";

export const DELETE = route(operations.revokeToken, async ({ ctx, params }) => {
  await revokeToken(ctx, params.tokenId);
  return null;
});
