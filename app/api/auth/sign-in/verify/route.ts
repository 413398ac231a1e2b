import { NextResponse } from "next/server";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { completeSignIn } from "@/lib/services/auth/sign-in";

export const POST = publicRoute(async ({ req, readJson, request }) => {
  await rateLimit("sign-in", request.ip ?? "unknown", 20, 60);
  const session = await completeSignIn(await readJson(), req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
