import { NextResponse, type NextRequest } from "next/server";

/** The request header through which proxy.ts tells a console page its own address. */
export const RETURN_TO_HEADER = "x-stint-return-to";

/**
 * Where to go after signing in: a path of this site only ("/x?y"), never another origin ("//evil",
 * "https://…", "/\\evil"), so the sign-in page cannot be used as an open redirect.
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 500) return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return null;
  try {
    const url = new URL(value, "http://stint.invalid");
    return url.origin === "http://stint.invalid" ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/** The sign-in page's address that comes back to `returnTo` afterwards. */
export function signInPath(returnTo?: string): string {
  const safe = safeReturnTo(returnTo);
  return safe ? `/sign-in?next=${encodeURIComponent(safe)}` : "/sign-in";
}

/**
 * proxy.ts, for pages: passes the requested path on to the page, so a signed-out member is sent to
 * sign-in and back to where they were going (the approval link of the browser extension, a grant).
 * A forged header is harmless: it is only ever a redirect target, checked by safeReturnTo.
 */
export function forwardReturnTo(req: NextRequest): NextResponse {
  const headers = new Headers(req.headers);
  headers.set(RETURN_TO_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}
