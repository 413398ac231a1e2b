import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import type { ResolvedSession } from "@/lib/services/sessions/resolve";

/** The ServiceContext of a signed-in member: the MSP comes from the session, never from input. */
export function contextFor(session: ResolvedSession, request: RequestInfo): ServiceContext {
  return {
    mspId: session.mspId,
    actor: {
      type: "member",
      memberId: session.member.id,
      role: session.member.role,
      label: session.member.email,
      sessionId: session.sessionId,
    },
    request,
    steppedUpAt: session.steppedUpAt,
  };
}
