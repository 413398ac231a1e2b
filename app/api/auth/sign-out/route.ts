import { NextResponse } from "next/server";
import { clearSessionCookie } from "@/lib/http/cookies";
import { sessionRoute } from "@/lib/http/route";
import { endOwnSession } from "@/lib/services/sessions/end";

export const POST = sessionRoute({}, async ({ ctx, session }) => {
  await endOwnSession(ctx, session.sessionId, "signed_out");
  const res = NextResponse.json({ ok: true, redirectTo: "/sign-in" });
  clearSessionCookie(res);
  return res;
});
