/** The request header through which proxy.ts tells a console page its own address. */
export const RETURN_TO_HEADER = "x-stint-return-to";

const BASE = "http://stint.invalid";

/**
 * Where to go after signing in: a path of this site only ("/x?y"), never another origin ("//evil",
 * "https://…", "/\\evil"), so the sign-in page cannot be used as an open redirect. Browsers drop tabs
 * and newlines inside URLs and read "\\" as "/", so those are refused outright; dot segments can
 * collapse into a protocol-relative "//host" ("/.//evil", "/a/..//evil"), so the path is judged as resolved.
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 500) return null;
  if (!value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return null;
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE && !url.pathname.startsWith("//") ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/** The sign-in page's address that comes back to `returnTo` afterwards. */
export function signInPath(returnTo?: string): string {
  const safe = safeReturnTo(returnTo);
  return safe ? `/sign-in?next=${encodeURIComponent(safe)}` : "/sign-in";
}
