import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { startSetup } from "@/lib/services/setup/start";

export const POST = publicRoute(async ({ readJson, request }) => {
  await rateLimit("setup", request.ip ?? "unknown", 20, 60);
  const res = NextResponse.json({});
  const options = await startSetup(await readJson(), startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
