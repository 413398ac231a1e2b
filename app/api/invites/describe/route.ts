import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { describeInvite } from "@/lib/services/invites/lookup";

/** The invite page reads the link's secret from the URL fragment and sends it here, in the body. */
export const POST = route(operations.describeInvite, async ({ body }) => {
  const invite = await describeInvite(body.token);
  return { ...invite, expiresAt: invite.expiresAt.toISOString() };
});
