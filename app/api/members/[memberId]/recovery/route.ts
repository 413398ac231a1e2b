import { sessionRoute } from "@/lib/http/route";
import { reissueInvite } from "@/lib/services/invites/reissue";

export const POST = sessionRoute({ permission: "members:manage" }, async ({ ctx, params }) => {
  const { invite, link } = await reissueInvite(ctx, params.memberId!);
  return { id: invite.id, email: invite.email, expiresAt: invite.expiresAt.toISOString(), link };
});
