import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { startAcceptInvite } from "@/lib/services/invites/accept";
import { inviteTokenInput } from "@/lib/services/invites/schemas";

export const POST = publicRoute(async ({ readJson, request }) => {
  await rateLimit("invite", request.ip ?? "unknown", 30, 60);
  const { token } = await readJson(inviteTokenInput);
  const res = NextResponse.json({});
  const options = await startAcceptInvite(token, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
