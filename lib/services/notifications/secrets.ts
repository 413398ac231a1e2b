import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";

/** Envelope contexts bind each sealed value to its row and purpose: one cannot be swapped for another. */
const contexts = {
  url: (endpointId: string) => `notification-endpoint:${endpointId}:url`,
  secret: (endpointId: string) => `notification-endpoint:${endpointId}:secret`,
  smtpPassword: (mspId: string) => `notification-smtp:${mspId}:password`,
};

export const sealEndpointUrl = (endpointId: string, url: string) => encryptSecret(keyRing(), url, contexts.url(endpointId));
export const openEndpointUrl = (endpointId: string, envelope: string) => decryptSecret(keyRing(), envelope, contexts.url(endpointId));
export const sealSigningSecret = (endpointId: string, secret: string) => encryptSecret(keyRing(), secret, contexts.secret(endpointId));
export const openSigningSecret = (endpointId: string, envelope: string) => decryptSecret(keyRing(), envelope, contexts.secret(endpointId));
export const sealSmtpPassword = (mspId: string, password: string) => encryptSecret(keyRing(), password, contexts.smtpPassword(mspId));
export const openSmtpPassword = (mspId: string, envelope: string) => decryptSecret(keyRing(), envelope, contexts.smtpPassword(mspId));
