import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { startFlow } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { startAcceptInvite } from "@/lib/services/invites/accept";

export const POST = route(operations.startAcceptInvite, async ({ body }) => {
  const res = NextResponse.json({});
  const options = await startAcceptInvite(body.token, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
