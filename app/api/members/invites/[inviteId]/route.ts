import { sessionRoute } from "@/lib/http/route";
import { revokeInvite } from "@/lib/services/invites/revoke";

export const DELETE = sessionRoute({ permission: "members:invite" }, async ({ ctx, params }) => {
  await revokeInvite(ctx, params.inviteId!);
  return null;
});
