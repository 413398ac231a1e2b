import type { NextResponse } from "next/server";
import { env, isHttps } from "@/lib/env";
import { newSecret } from "@/lib/ids";

// __Host- needs Secure, which browsers only honour over https; plain-http localhost gets the bare name.
export const SESSION_COOKIE = isHttps ? "__Host-stint_session" : "stint_session";
export const FLOW_COOKIE = isHttps ? "__Host-stint_flow" : "stint_flow";

const base = { httpOnly: true, secure: isHttps, path: "/" } as const;

export function setSessionCookie(res: NextResponse, token: string, expiresAt: Date): void {
  res.cookies.set(SESSION_COOKIE, token, { ...base, sameSite: "lax", expires: expiresAt });
}

export function clearSessionCookie(res: NextResponse): void {
  res.cookies.set(SESSION_COOKIE, "", { ...base, sameSite: "lax", maxAge: 0 });
}

/** Binds a WebAuthn ceremony to this browser for the 5 minutes its challenge lives. */
export function startFlow(res: NextResponse): string {
  const token = newSecret();
  res.cookies.set(FLOW_COOKIE, token, { ...base, sameSite: "strict", maxAge: 300 });
  return token;
}

export const sessionMaxAgeHours = env.SESSION_ABSOLUTE_HOURS;
