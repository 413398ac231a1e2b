import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { startFlow } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { startStepUp } from "@/lib/services/auth/step-up";

export const POST = route(operations.startStepUp, async ({ ctx }) => {
  const res = NextResponse.json({});
  const options = await startStepUp(ctx, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
