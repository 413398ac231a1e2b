import { NextResponse } from "next/server";
import { operations } from "@/lib/api/operations";
import { clearSessionCookie } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { endOwnSession } from "@/lib/services/sessions/end";

export const POST = route(operations.signOut, async ({ ctx, principal }) => {
  await endOwnSession(ctx, principal.session.sessionId, "signed_out");
  const res = NextResponse.json({ ok: true, redirectTo: "/sign-in" });
  clearSessionCookie(res);
  return res;
});
