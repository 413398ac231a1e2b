import { op } from "@/lib/api/operation";
import { passkeyParams } from "@/lib/api/schemas/account";
import { registrationOptionsOutput } from "@/lib/api/schemas/auth";
import { paramsOf } from "@/lib/api/schemas/common";
import { timeZoneSettingInput } from "@/lib/services/members/schemas";
import { passkeyNameInput } from "@/lib/services/passkeys/schemas";
import { registrationResponseInput } from "@/lib/services/webauthn/schemas";

/** The signed-in member's own passkeys, sessions and settings. */
export const accountOperations = {
  startAddPasskey: op({
    id: "startAddPasskey",
    method: "POST",
    path: "/api/account/passkeys/options",
    tag: "Account",
    summary: "Begin adding a passkey (needs a fresh step-up): registration options, and the flow cookie",
    auth: "session",
    body: passkeyNameInput,
    output: registrationOptionsOutput,
    status: 200,
    raw: true,
  }),
  completeAddPasskey: op({
    id: "completeAddPasskey",
    method: "POST",
    path: "/api/account/passkeys/verify",
    tag: "Account",
    summary: "Verify and store the new passkey (needs a fresh step-up)",
    auth: "session",
    body: registrationResponseInput,
    output: null,
    status: 204,
  }),
  renamePasskey: op({
    id: "renamePasskey",
    method: "PATCH",
    path: "/api/account/passkeys/{passkeyId}",
    tag: "Account",
    summary: "Rename one of your passkeys",
    auth: "session",
    params: passkeyParams,
    body: passkeyNameInput,
    output: null,
    status: 204,
  }),
  removePasskey: op({
    id: "removePasskey",
    method: "DELETE",
    path: "/api/account/passkeys/{passkeyId}",
    tag: "Account",
    summary: "Remove one of your passkeys, never the last (needs a fresh step-up); the sessions it opened end",
    auth: "session",
    params: passkeyParams,
    output: null,
    status: 204,
    errors: { 409: "conflict: this is your only passkey" },
  }),
  endSession: op({
    id: "endSession",
    method: "DELETE",
    path: "/api/account/sessions/{sessionId}",
    tag: "Account",
    summary: "End one of your sessions",
    auth: "session",
    params: paramsOf("sessionId", "Session id."),
    output: null,
    status: 204,
  }),
  updateMyTimeZone: op({
    id: "updateMyTimeZone",
    method: "PUT",
    path: "/api/account/time-zone",
    tag: "Account",
    summary: "Choose the time zone the console shows times in, or null to follow the browser's",
    auth: "session",
    body: timeZoneSettingInput,
    output: timeZoneSettingInput,
    status: 200,
  }),
};
