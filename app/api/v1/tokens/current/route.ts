import { operations } from "@/lib/api/v1/operations";
import { apiRoute } from "@/lib/http/api-route";
import { revokeCurrentToken } from "@/lib/services/tokens/revoke-current";

export const DELETE = apiRoute(operations.revokeCurrentToken, async ({ ctx }) => {
  await revokeCurrentToken(ctx);
  return null;
});
