import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { startFlow } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { startSignIn } from "@/lib/services/auth/sign-in";

export const POST = route(operations.startSignIn, async () => {
  const res = NextResponse.json({});
  const options = await startSignIn(startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
