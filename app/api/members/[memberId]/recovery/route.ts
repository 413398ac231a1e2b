import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { reissueInvite } from "@/lib/services/invites/reissue";

export const POST = route(operations.reissueMemberInvite, async ({ ctx, params }) => {
  const { invite, link } = await reissueInvite(ctx, params.memberId);
  return { id: invite.id, email: invite.email, expiresAt: invite.expiresAt.toISOString(), link };
});
