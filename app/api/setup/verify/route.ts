import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { completeSetup } from "@/lib/services/setup/complete";

export const POST = route(operations.completeSetup, async ({ req, rawBody, request }) => {
  const session = await completeSetup(rawBody, req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
