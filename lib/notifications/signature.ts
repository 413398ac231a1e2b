import { Webhook } from "standardwebhooks";

/** A new signing secret in the Standard Webhooks format: "whsec_" and base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
}

/**
 * The Standard Webhooks headers of one message: `webhook-id` (the same on every retry), `webhook-timestamp`
 * (this attempt, in seconds) and `webhook-signature`, one `v1,…` signature per live secret, space-separated,
 * so receivers still holding the previous secret keep verifying while a rotation's grace period lasts.
 */
export function signedHeaders(messageId: string, body: string, secrets: string[], at: Date): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
