import { sessionRoute } from "@/lib/http/route";
import { revokeToken } from "@/lib/services/tokens/revoke";

export const DELETE = sessionRoute({}, async ({ ctx, params }) => {
  await revokeToken(ctx, params.tokenId!);
  return null;
});
