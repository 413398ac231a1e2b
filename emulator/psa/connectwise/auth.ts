import type { Call } from "../../http/call";
import type { Reply } from "../../http/reply";
import { cwError } from "./errors";
import type { ConnectWiseInstance } from "./instance";

/**
 * null when the call is authenticated as ConnectWise requires of API members: a `clientId` header (the
 * integration's registered GUID) and `Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")`, the
 * company id compared case-insensitively like the sign-in box.
 */
export function refuseCredentials(instance: ConnectWiseInstance, call: Call): Reply | null {
  if (!call.headers.clientid?.trim()) return cwError(400, "InvalidClientId", "A clientId header is required on every request.");
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(call.headers.authorization ?? "");
  const decoded = match ? Buffer.from(match[1] as string, "base64").toString("utf8") : "";
  const plus = decoded.indexOf("+");
  const colon = decoded.indexOf(":", plus + 1);
  const companyId = decoded.slice(0, plus);
  const publicKey = decoded.slice(plus + 1, colon);
  const privateKey = decoded.slice(colon + 1);
  const valid =
    plus > 0 && colon > plus && companyId.toLowerCase() === instance.companyId.toLowerCase() && publicKey === instance.publicKey && privateKey === instance.privateKey;
  return valid ? null : cwError(401, "Unauthorized", "Authentication failed: check the company id and the API member's public and private keys.");
}
