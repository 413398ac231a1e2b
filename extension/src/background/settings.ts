/**
 * What the extension keeps across browser restarts, in chrome.storage.local: the Stint address, the
 * extension access token and whom it belongs to, and the technician's preferences. JIT credentials are
 * never stored anywhere (src/background/tab-bindings.ts keeps them in memory for one fill).
 */
export type Settings = {
  serverUrl?: string;
  token?: string;
  tokenId?: string;
  tokenExpiresAt?: string;
  memberEmail?: string;
  memberName?: string;
  mspName?: string;
  /** The answer to Microsoft's "Stay signed in?": off by default, since JIT accounts are short-lived. */
  staySignedIn?: boolean;
  /** Why the extension is disconnected, shown once in the popup. */
  notice?: string | null;
};

export type Connected = Settings & Required<Pick<Settings, "serverUrl" | "token" | "tokenId" | "tokenExpiresAt" | "memberEmail" | "memberName" | "mspName">>;

/**
 * Keeps the token away from content scripts: they run on Microsoft's pages, and by default Chrome lets
 * them read chrome.storage.local. Only the extension's own pages and service worker may read it after this.
 */
export async function restrictStorageToExtension(): Promise<void> {
  await chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });
}

export async function readSettings(): Promise<Settings> {
  return (await chrome.storage.local.get(null)) as Settings;
}

export async function writeSettings(patch: Partial<Settings>): Promise<void> {
  await chrome.storage.local.set(patch);
}

/** Forgets the token (and whom it was for), keeping the address and preferences. */
export async function forgetToken(notice: string | null): Promise<void> {
  await chrome.storage.local.remove(["token", "tokenId", "tokenExpiresAt", "memberEmail", "memberName", "mspName"]);
  await chrome.storage.local.set({ notice });
}

export function isConnected(settings: Settings): settings is Connected {
  return Boolean(settings.serverUrl && settings.token && settings.tokenId && settings.memberEmail && settings.mspName);
}

/**
 * A Stint address as typed: https, or http only for localhost (a developer's or the sandbox's), reduced
 * to its origin. Anything else is refused, so a token is never sent in the clear over a network.
 */
export function normaliseServerUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim().includes("://") ? input.trim() : `https://${input.trim()}`);
  } catch {
    return null;
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) return null;
  if (url.username || url.password) return null;
  return url.origin;
}
