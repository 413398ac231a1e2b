import type { Connection, ContentRequest, ExtensionRequest, PopupRequest, Responses } from "../shared/messages";
import { answerContent } from "./fill";
import { launchSignIn } from "./launch";
import { mfaDemandingCustomers } from "./mfa-demands";
import { takeProblem } from "./problems";
import { approvalUrl, cancelPairing, pendingPairing, resumePairing, startPairing } from "./pairing";
import { forgetToken, isConnected, normaliseServerUrl, readSettings, restrictStorageToExtension, writeSettings, type Connected } from "./settings";
import { asApiError, callStint } from "./stint-api";
import { unbindTab } from "./tab-bindings";

/**
 * The service worker: the only part that holds the access token and talks to Stint. The popup asks it
 * for state and actions; content scripts on Microsoft's sign-in pages ask it for their tab's credential.
 */

const EXPIRED_NOTICE = "This browser's connection to Stint expired or was revoked. Connect again.";

async function connection(): Promise<Connection> {
  const settings = await readSettings();
  if (!settings.serverUrl) return { kind: "unconfigured" };
  if (isConnected(settings)) {
    return {
      kind: "connected",
      serverUrl: settings.serverUrl,
      memberEmail: settings.memberEmail,
      memberName: settings.memberName,
      mspName: settings.mspName,
      tokenExpiresAt: settings.tokenExpiresAt,
      staySignedIn: settings.staySignedIn === true,
    };
  }
  const pairing = await pendingPairing();
  if (pairing) return { kind: "pairing", serverUrl: settings.serverUrl, pairing };
  return { kind: "disconnected", serverUrl: settings.serverUrl, notice: settings.notice ?? null };
}

/** Runs an authenticated action; a 401 means the token is dead, so it is forgotten and the popup says so. */
async function withToken<T extends object>(action: (settings: Connected) => Promise<T>): Promise<({ ok: true } & T) | { ok: false; code: string; message: string }> {
  const settings = await readSettings();
  if (!isConnected(settings)) return { ok: false, code: "not_connected", message: "Connect the extension to Stint first." };
  try {
    return { ok: true, ...(await action(settings)) };
  } catch (error) {
    const e = asApiError(error);
    if (e.status === 401) await forgetToken(EXPIRED_NOTICE);
    return { ok: false, code: e.code, message: e.message };
  }
}

async function answerPopup(request: PopupRequest): Promise<Responses[PopupRequest["type"]]> {
  switch (request.type) {
    case "connection":
      return { ok: true, connection: await connection() };
    case "configure": {
      const serverUrl = normaliseServerUrl(request.serverUrl);
      if (!serverUrl) return { ok: false, code: "invalid_url", message: "Enter your Stint address, starting with https://." };
      await writeSettings({ serverUrl });
      return { ok: true, connection: await connection() };
    }
    case "pair": {
      const { serverUrl } = await readSettings();
      if (!serverUrl) return { ok: false, code: "not_configured", message: "Enter your Stint address first." };
      try {
        await startPairing(serverUrl);
      } catch (error) {
        const e = asApiError(error);
        return { ok: false, code: e.code, message: e.message };
      }
      return { ok: true, connection: await connection() };
    }
    case "cancelPairing":
      await cancelPairing();
      return { ok: true, connection: await connection() };
    case "openApproval": {
      const url = await approvalUrl();
      if (!url) return { ok: false, code: "no_pairing", message: "There is no code waiting for approval." };
      await chrome.tabs.create({ url, active: true });
      return { ok: true };
    }
    case "grants":
      return withToken(async (s) => {
        const page = await callStint(s, "listGrants", { query: { limit: "50", mine: "true" } });
        return { grants: page.items, problem: takeProblem(), mfaDemandingCustomers: await mfaDemandingCustomers() };
      });
    case "launch":
      return withToken(async (s) => ({ tabId: await launchSignIn(s, request.grantId) }));
    case "preferences":
      await writeSettings({ staySignedIn: request.staySignedIn });
      return { ok: true, connection: await connection() };
    case "disconnect": {
      const settings = await readSettings();
      if (isConnected(settings)) {
        // The token revokes itself on the way out; if Stint cannot be reached, it is forgotten here all the
        // same and lapses at its expiry, or can be revoked on the account page.
        await callStint(settings, "revokeCurrentToken").catch(() => undefined);
      }
      await forgetToken(null);
      return { ok: true, connection: await connection() };
    }
  }
}

const popupTypes = new Set<string>(["connection", "configure", "pair", "cancelPairing", "openApproval", "grants", "launch", "preferences", "disconnect"]);
const extensionPagePrefix = chrome.runtime.getURL("");

chrome.runtime.onMessage.addListener((request: ExtensionRequest, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  const answer = popupTypes.has(request.type)
    ? // Popup actions only from the extension's own pages, never from a content script.
      sender.url?.startsWith(extensionPagePrefix)
      ? answerPopup(request as PopupRequest)
      : Promise.resolve({ ok: false, code: "forbidden", message: "Not from the extension's popup." })
    : answerContent(request as ContentRequest, sender);
  answer.then(sendResponse, (error: unknown) => sendResponse({ ok: false, code: "failed", message: String(error) }));
  return true;
});

// A closed tab forgets its binding at once; one that wanders off Microsoft's origins gets nothing, since
// every ask is checked against the sender's current origin (src/background/fill.ts), and lapses with time.
chrome.tabs.onRemoved.addListener((tabId) => unbindTab(tabId));

void restrictStorageToExtension();
resumePairing();
