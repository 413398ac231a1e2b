import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import { resolveSession, type ResolvedSession } from "@/lib/services/sessions/resolve";
import { SESSION_COOKIE } from "./cookies";

/** The signed-in member for this request (memoised per render), or null. */
export const currentSession = cache(async (): Promise<ResolvedSession | null> => {
  const jar = await cookies();
  return resolveSession(jar.get(SESSION_COOKIE)?.value);
});

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
