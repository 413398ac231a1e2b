import { NextResponse } from "next/server";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { completeAcceptInvite } from "@/lib/services/invites/accept";
import { acceptInviteInput } from "@/lib/services/invites/schemas";

export const POST = publicRoute(async ({ req, readJson, request }) => {
  await rateLimit("invite", request.ip ?? "unknown", 30, 60);
  const { token, credential } = await readJson(acceptInviteInput);
  const session = await completeAcceptInvite(token, credential, req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
