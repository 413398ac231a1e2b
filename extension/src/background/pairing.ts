import type { PairingStart, PairingView } from "../shared/api-types";
import { deviceLabel } from "./device-label";
import { forgetToken, writeSettings } from "./settings";
import { callStint, StintApiError } from "./stint-api";

/**
 * Pairing, device-code style: the extension asks Stint for a code, the technician approves it in Stint's
 * console (signed in, with a passkey check), and the extension's polling then receives its own access
 * token, once. The pending pairing lives in chrome.storage.session (memory only, trusted contexts only),
 * so it survives the service worker being stopped while the technician approves, but not a browser restart.
 */
type Pending = PairingStart & { serverUrl: string; expiresAt: string };

const KEY = "pairing";

async function readPending(): Promise<Pending | undefined> {
  const { [KEY]: pending } = (await chrome.storage.session.get(KEY)) as { [KEY]?: Pending };
  if (pending && Date.parse(pending.expiresAt) <= Date.now()) {
    await chrome.storage.session.remove(KEY);
    return undefined;
  }
  return pending;
}

export async function pendingPairing(): Promise<PairingView | undefined> {
  const pending = await readPending();
  return pending && { userCode: pending.userCode, verificationUri: pending.verificationUri, expiresAt: pending.expiresAt };
}

export async function startPairing(serverUrl: string): Promise<void> {
  const start = await callStint({ serverUrl }, "startExtensionPairing", { body: { deviceLabel: deviceLabel(navigator.userAgent) } });
  const pending: Pending = { ...start, serverUrl, expiresAt: new Date(Date.now() + start.expiresIn * 1000).toISOString() };
  await chrome.storage.session.set({ [KEY]: pending });
  await writeSettings({ notice: null });
  resumePairing();
}

export async function cancelPairing(): Promise<void> {
  await chrome.storage.session.remove(KEY);
}

/** Stint's page for typing the code, without the code: the technician copies it from the popup themselves. */
export async function approvalUrl(): Promise<string | undefined> {
  return (await readPending())?.verificationUri;
}

let polling = false;

/** Polls the pending pairing, if any, until it is approved, denied or expired. One loop at a time. */
export function resumePairing(): void {
  if (polling) return;
  polling = true;
  void pollLoop().finally(() => (polling = false));
}

async function pollLoop(): Promise<void> {
  let extraDelay = 0;
  for (;;) {
    const pending = await readPending();
    if (!pending) return;
    await new Promise((resolve) => setTimeout(resolve, (pending.interval + extraDelay) * 1000));
    // Cancelled, or replaced by a new code, while waiting.
    const current = await readPending();
    if (current?.deviceCode !== pending.deviceCode) continue;
    try {
      const answer = await callStint({ serverUrl: pending.serverUrl }, "pollExtensionPairing", { body: { deviceCode: pending.deviceCode } });
      if (answer.status === "approved") {
        await chrome.storage.session.remove(KEY);
        await writeSettings({
          serverUrl: pending.serverUrl,
          token: answer.token,
          tokenId: answer.tokenId,
          tokenExpiresAt: answer.expiresAt,
          memberEmail: answer.member.email,
          memberName: answer.member.displayName,
          mspName: answer.mspName,
          notice: null,
        });
        return;
      }
    } catch (error) {
      if (!(error instanceof StintApiError)) throw error;
      if (error.status === 429) extraDelay += 5;
      else if (error.status === 0 || error.status >= 500) extraDelay = Math.min(extraDelay + pending.interval, 30);
      else {
        // Denied (403) or expired/used (410), or anything else Stint refuses: this code is done.
        await chrome.storage.session.remove(KEY);
        await forgetToken(error.status === 403 ? "The connection was denied in Stint." : `Connecting failed: ${error.message}`);
        return;
      }
    }
  }
}
