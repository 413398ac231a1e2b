import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import type { PsaSettings } from "@/lib/psa/settings";

const context = (connectionId: string) => `psa-connection:${connectionId}:settings`;

/** A PSA's settings, credentials included, sealed as one document bound to its connection. */
export const sealPsaSettings = (connectionId: string, settings: PsaSettings) => encryptSecret(keyRing(), JSON.stringify(settings), context(connectionId));
export const openPsaSettings = (connectionId: string, envelope: string) => JSON.parse(decryptSecret(keyRing(), envelope, context(connectionId))) as PsaSettings;
