import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { completeSignIn } from "@/lib/services/auth/sign-in";

export const POST = route(operations.completeSignIn, async ({ req, rawBody, request }) => {
  const session = await completeSignIn(rawBody, req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
