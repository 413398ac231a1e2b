import { NextResponse } from "next/server";
import { FLOW_COOKIE, setSessionCookie } from "@/lib/http/cookies";
import { publicRoute } from "@/lib/http/route";
import { completeSetup } from "@/lib/services/setup/complete";

export const POST = publicRoute(async ({ req, readJson, request }) => {
  const session = await completeSetup(await readJson(), req.cookies.get(FLOW_COOKIE)?.value, request);
  const res = NextResponse.json({ ok: true, redirectTo: "/overview" });
  setSessionCookie(res, session.token, session.expiresAt);
  return res;
});
