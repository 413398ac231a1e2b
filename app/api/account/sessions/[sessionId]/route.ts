import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { endOwnSession } from "@/lib/services/sessions/end";

export const DELETE = route(operations.endSession, async ({ ctx, params }) => {
  await endOwnSession(ctx, params.sessionId, "ended_by_member");
  return null;
});
