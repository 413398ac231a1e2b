import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { resolveSession, type ResolvedSession } from "@/lib/services/sessions/resolve";
import { SESSION_COOKIE } from "./cookies";

/** The signed-in member for this request (memoised per render), or null. */
export const currentSession = cache(async (): Promise<ResolvedSession | null> => {
  const jar = await cookies();
  return resolveSession(jar.get(SESSION_COOKIE)?.value);
});
