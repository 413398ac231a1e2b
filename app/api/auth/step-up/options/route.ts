import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { sessionRoute } from "@/lib/http/route";
import { startStepUp } from "@/lib/services/auth/step-up";

export const POST = sessionRoute({}, async ({ ctx }) => {
  const res = NextResponse.json({});
  const options = await startStepUp(ctx, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
