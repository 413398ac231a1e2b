import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { describeInvite } from "@/lib/services/invites/lookup";
import { inviteTokenInput } from "@/lib/services/invites/schemas";

/** The invite page reads the link's secret from the URL fragment and sends it here, in the body. */
export const POST = publicRoute(async ({ readJson, request }) => {
  await rateLimit("invite", request.ip ?? "unknown", 30, 60);
  const { token } = await readJson(inviteTokenInput);
  return describeInvite(token);
});
