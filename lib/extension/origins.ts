/** A browser extension's origin: Chrome's 32-letter id, or Firefox's per-install UUID. */
export const extensionOriginPattern = /^(chrome|moz)-extension:\/\/[A-Za-z0-9-]{1,64}$/;

/**
 * May this Origin call /api/v1 cross-origin? Only extension origins ever may: a web page's origin never
 * does, so a site cannot script the API with a token it obtained. `pinned` (EXTENSION_ORIGINS) narrows
 * it to the published extension's ids; null accepts any extension.
 */
export function isAllowedExtensionOrigin(origin: string | null, pinned: readonly string[] | null): origin is string {
  if (!origin || !extensionOriginPattern.test(origin)) return false;
  return pinned === null || pinned.includes(origin);
}
