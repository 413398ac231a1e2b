/**
 * The messages between the extension's parts. Only the background holds the access token and talks to
 * Stint; the popup asks it for state and actions, and the content script asks it for the one credential
 * its tab was opened for.
 */
import type { Grant, PairingView } from "./api-types";

export type Connection =
  | { kind: "unconfigured" }
  | { kind: "disconnected"; serverUrl: string; notice: string | null }
  | { kind: "pairing"; serverUrl: string; pairing: PairingView }
  | { kind: "connected"; serverUrl: string; memberEmail: string; memberName: string; mspName: string; tokenExpiresAt: string; staySignedIn: boolean };

export type Failure = { ok: false; code: string; message: string };
export type Result<T = object> = ({ ok: true } & T) | Failure;

export type PopupRequest =
  | { type: "connection" }
  | { type: "configure"; serverUrl: string }
  | { type: "pair" }
  | { type: "cancelPairing" }
  | { type: "openApproval" }
  | { type: "grants" }
  | { type: "launch"; grantId: string }
  | { type: "preferences"; staySignedIn: boolean }
  | { type: "disconnect" };

export type ContentRequest =
  | { type: "fill:credentials" }
  | { type: "fill:submitted" }
  | { type: "fill:kmsi" }
  | { type: "fill:failed"; reason: string };

export type ExtensionRequest = PopupRequest | ContentRequest;

export type Responses = {
  connection: Result<{ connection: Connection }>;
  configure: Result<{ connection: Connection }>;
  pair: Result<{ connection: Connection }>;
  cancelPairing: Result<{ connection: Connection }>;
  openApproval: Result;
  /** mfaDemandingCustomers: where Microsoft asked a password-only account for MFA (src/background/mfa-demands.ts). */
  grants: Result<{ grants: Grant[]; problem: string | null; mfaDemandingCustomers: string[] }>;
  launch: Result<{ tabId: number }>;
  preferences: Result<{ connection: Connection }>;
  disconnect: Result<{ connection: Connection }>;
  "fill:credentials": Result<{ userPrincipalName: string; signInMethod: "tap" | "password"; secret: string }>;
  "fill:submitted": Result;
  "fill:kmsi": Result<{ staySignedIn: boolean }>;
  "fill:failed": Result;
};

/** Sends a request to the background and returns its typed answer. */
export function ask<R extends ExtensionRequest>(request: R): Promise<Responses[R["type"]]> {
  return chrome.runtime.sendMessage(request) as Promise<Responses[R["type"]]>;
}
