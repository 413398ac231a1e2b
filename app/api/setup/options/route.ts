import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { startFlow } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import type { SetupInput } from "@/lib/services/setup/schemas";
import { startSetup } from "@/lib/services/setup/start";

export const POST = route(operations.startSetup, async ({ rawBody }) => {
  const res = NextResponse.json({});
  const options = await startSetup(rawBody as SetupInput, startFlow(res));
  return NextResponse.json(options, { headers: res.headers });
});
