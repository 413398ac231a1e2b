import { sessionRoute } from "@/lib/http/route";
import { createInvite } from "@/lib/services/invites/create";

export const POST = sessionRoute({ permission: "members:invite" }, async ({ ctx, readJson }) => {
  const { invite, link } = await createInvite(ctx, await readJson());
  return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString(), link };
});
