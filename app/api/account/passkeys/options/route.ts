import { NextResponse } from "next/server";
import { startFlow } from "@/lib/http/cookies";
import { sessionRoute } from "@/lib/http/route";
import { startAddPasskey } from "@/lib/services/passkeys/add";

export const POST = sessionRoute({}, async ({ ctx, readJson }) => {
  const res = NextResponse.json({});
  const options = await startAddPasskey(ctx, startFlow(res), await readJson());
  return NextResponse.json(options, { headers: res.headers });
});
