import { op } from "@/lib/api/operation";
import { paramsOf } from "@/lib/api/schemas/common";
import { answeredPairingOutput, pendingPairingOutput } from "@/lib/api/schemas/extension-pairings";
import * as s from "@/lib/api/v1/schemas";
import { lookupPairingInput } from "@/lib/services/extension-pairings/schemas";

const pairingParams = paramsOf("pairingId", "Pairing id.");

export const extensionPairingsOperations = {
  startExtensionPairing: op({
    id: "startExtensionPairing",
    method: "POST",
    path: "/api/v1/extension/pairings",
    tag: "Extension pairing",
    summary: "Start pairing the browser extension (no authentication)",
    description:
      "Device-code style (RFC 8628). Show userCode to the member, who enters it at verificationUri and approves with a passkey; meanwhile poll POST /extension/pairings/poll every interval seconds. Expires after expiresIn seconds. Rate-limited per client address.",
    auth: "public",
    scope: null,
    body: s.startPairingBody,
    output: s.startedPairingOutput,
    status: 201,
  }),
  pollExtensionPairing: op({
    id: "pollExtensionPairing",
    method: "POST",
    path: "/api/v1/extension/pairings/poll",
    tag: "Extension pairing",
    summary: "Poll a pairing for the extension's token (no authentication)",
    description:
      "pending: poll again after interval. approved: the answer carries the extension's token (type extension, scopes grants:read and credentials:read), exactly once. 403 pairing_denied: the member refused. 410: unknown, expired or already collected; start again. 429 slow_down (with Retry-After): polled faster than the interval.",
    auth: "public",
    scope: null,
    body: s.pollPairingBody,
    output: s.pairingPollOutput,
    status: 200,
    errors: {
      403: "pairing_denied: the member refused this pairing",
      410: "gone: unknown, expired or already collected; start pairing again",
      429: "slow_down: polled faster than the interval (see Retry-After), or rate limited",
    },
  }),
  lookupExtensionPairing: op({
    id: "lookupExtensionPairing",
    method: "POST",
    path: "/api/extension-pairings/lookup",
    tag: "Extension pairing",
    summary: "Find the waiting extension that shows the code the member typed",
    description: "A POST, so the code stays out of URLs and logs; 10 lookups per member per 10 minutes (the service counts them).",
    auth: "session",
    body: lookupPairingInput,
    output: pendingPairingOutput,
    status: 200,
  }),
  approveExtensionPairing: op({
    id: "approveExtensionPairing",
    method: "POST",
    path: "/api/extension-pairings/{pairingId}/approve",
    tag: "Extension pairing",
    summary: "Approve a waiting extension (needs a fresh passkey step-up, which it uses up)",
    auth: "session",
    params: pairingParams,
    output: answeredPairingOutput,
    status: 200,
    errors: { 410: "gone: the pairing expired or was already answered" },
  }),
  denyExtensionPairing: op({
    id: "denyExtensionPairing",
    method: "POST",
    path: "/api/extension-pairings/{pairingId}/deny",
    tag: "Extension pairing",
    summary: "Refuse a waiting extension",
    auth: "session",
    params: pairingParams,
    output: answeredPairingOutput,
    status: 200,
    errors: { 410: "gone: the pairing expired or was already answered" },
  }),
};
