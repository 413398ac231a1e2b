/**
 * The Microsoft Entra sign-in origins the extension fills on, and nowhere else: the global cloud, its
 * alternative host, US Government (GCC High, DoD) and China (21Vianet). The manifest's host permissions and
 * content-script matches are built from this list, so a page on any other origin never even runs the
 * content script; the background checks the sender's origin against it again before answering.
 */
export const MICROSOFT_SIGN_IN_ORIGINS = [
  "https://login.microsoftonline.com",
  "https://login.microsoft.com",
  "https://login.microsoftonline.us",
  "https://login.partner.microsoftonline.cn",
] as const;

/** Whether `url` is on one of the Microsoft sign-in origins (exact origin: scheme, host and default port). */
export function isMicrosoftSignInUrl(url: string | undefined): boolean {
  if (!url) return false;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return false;
  }
  return (MICROSOFT_SIGN_IN_ORIGINS as readonly string[]).includes(origin);
}

/** Match patterns for the manifest (`https://host/*`). */
export const microsoftSignInMatches = (): string[] => MICROSOFT_SIGN_IN_ORIGINS.map((origin) => `${origin}/*`);
