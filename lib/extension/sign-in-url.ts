/**
 * The page the extension opens for a grant (EXTENSION_SIGN_IN_URL): an https URL template in which
 * {tenantId} and {upn} are filled in, URL-encoded. The extension then fills Microsoft's sign-in form it
 * lands on, so the template decides only where the sign-in starts.
 */
export type SignInTarget = { tenantId: string; upn: string };

export function fillSignInUrl(template: string, target: SignInTarget): string {
  return template.replaceAll("{tenantId}", encodeURIComponent(target.tenantId)).replaceAll("{upn}", encodeURIComponent(target.upn));
}

/** Why a template is unusable, or null. Checked at startup by lib/env.ts. */
export function signInUrlTemplateProblem(template: string): string | null {
  const filled = fillSignInUrl(template, { tenantId: "00000000-0000-0000-0000-000000000000", upn: "someone@example.com" });
  if (/[{}]/.test(filled)) return "only {tenantId} and {upn} can be filled in";
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return "must be a URL";
  }
  return url.protocol === "https:" ? null : "must be an https URL";
}
