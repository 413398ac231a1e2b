import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { startSignIn } from "@/lib/services/auth/sign-in";

export const POST = publicRoute(async ({ request }) => {
  await rateLimit("sign-in-options", request.ip ?? "unknown", 60, 60);
  const res = NextResponse.json({});
  const options = await startSignIn(startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
