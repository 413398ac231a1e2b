import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { startFlow } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { startAddPasskey } from "@/lib/services/passkeys/add";
import type { PasskeyNameInput } from "@/lib/services/passkeys/schemas";

export const POST = route(operations.startAddPasskey, async ({ ctx, rawBody }) => {
  const res = NextResponse.json({});
  const options = await startAddPasskey(ctx, startFlow(res), rawBody as PasskeyNameInput);
  return NextResponse.json(options, { headers: res.headers });
});
