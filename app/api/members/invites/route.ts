import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createInvite } from "@/lib/services/invites/create";

export const POST = route(operations.createInvite, async ({ ctx, body }) => {
  const { invite, link } = await createInvite(ctx, body);
  return { id: invite.id, email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString(), link };
});
