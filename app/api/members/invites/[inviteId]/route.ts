import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { revokeInvite } from "@/lib/services/invites/revoke";

export const DELETE = route(operations.revokeInvite, async ({ ctx, params }) => {
  await revokeInvite(ctx, params.inviteId);
  return null;
});
