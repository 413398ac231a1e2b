import { sessionRoute } from "@/lib/http/route";
import { endOwnSession } from "@/lib/services/sessions/end";

export const DELETE = sessionRoute({}, async ({ ctx, params }) => {
  await endOwnSession(ctx, params.sessionId!, "ended_by_member");
  return null;
});
