import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { completeAcceptInvite } from "@/lib/services/invites/accept";

export const POST = route(operations.completeAcceptInvite, async ({ req, body, request }) => {
  const session = await completeAcceptInvite(body.token, body.credential, req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
