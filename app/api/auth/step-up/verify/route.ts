import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { completeStepUp } from "@/lib/services/auth/step-up";

export const POST = route(operations.completeStepUp, async ({ req, ctx, principal, rawBody }) => {
  const { token } = await completeStepUp(ctx, rawBody, req.cookies.get(FLOW_COOKIE)?.value);
  const res = new NextResponse(null, { status: 204 });
  setSessionCookie(res, token, principal.session.expiresAt);
  return res;
});
