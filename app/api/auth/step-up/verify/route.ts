import { NextResponse } from "next/server";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { sessionRoute } from "@/lib/http/route";
import { completeStepUp } from "@/lib/services/auth/step-up";

export const POST = sessionRoute({}, async ({ req, ctx, session, readJson }) => {
  const { token } = await completeStepUp(ctx, await readJson(), req.cookies.get(FLOW_COOKIE)?.value);
  const res = NextResponse.json({ ok: true });
  setSessionCookie(res, token, session.expiresAt);
  return res;
});
