import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { startAcceptInvite } from "@/lib/services/invites/accept";

export const POST = publicRoute(async ({ params, request }) => {
  await rateLimit("invite", request.ip ?? "unknown", 30, 60);
  const res = NextResponse.json({});
  const options = await startAcceptInvite(params.token!, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
