import { NextResponse } from "next/server";
import { credentialDto } from "@/lib/api/v1/mappers";
import { sessionRoute } from "@/lib/http/route";
import { revealCredential } from "@/lib/services/grants/reveal-credential";

/** POST, not GET: a reveal is an audited action that uses up the step-up; never cached. */
export const POST = sessionRoute({}, async ({ ctx, params }) => {
  const credential = await revealCredential(ctx, params.grantId!);
  return NextResponse.json(
    { ...credentialDto(credential), endsAt: credential.endsAt?.toISOString() ?? null },
    { headers: { "cache-control": "no-store" } },
  );
});
