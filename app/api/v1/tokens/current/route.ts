import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { revokeCurrentToken } from "@/lib/services/tokens/revoke-current";

export const DELETE = route(operations.revokeCurrentToken, async ({ ctx }) => {
  await revokeCurrentToken(ctx);
  return null;
});
