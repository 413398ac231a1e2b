import type { Grant } from "@/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { AppError } from "@/lib/errors";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";

/** Each secret is sealed bound to its grant and kind: an envelope moved to another row or column fails to open. */
export const passwordContext = (grantId: string) => `grant:${grantId}:password`;
export const tapContext = (grantId: string) => `grant:${grantId}:tap`;

/** What a technician signs in with: the pass for the pass method, the password for the password method. */
export type JitCredential = {
  userPrincipalName: string;
  signInMethod: SignInMethod;
  temporaryAccessPass: string | null;
  temporaryAccessPassExpiresAt: Date | null;
  password: string | null;
};

type SealedGrant = Pick<Grant, "id" | "upn" | "signInMethod" | "passwordEnvelope" | "tapEnvelope" | "tapExpiresAt">;

export function sealPassword(grantId: string, password: string): string {
  return encryptSecret(keyRing(), password, passwordContext(grantId));
}

export function sealTap(grantId: string, pass: string): string {
  return encryptSecret(keyRing(), pass, tapContext(grantId));
}

export function unsealPassword(grant: Pick<Grant, "id"> & { passwordEnvelope: string }): string {
  return decryptSecret(keyRing(), grant.passwordEnvelope, passwordContext(grant.id));
}

/** Whether the grant holds the secret its method signs in with. */
export function hasCredential(grant: Pick<Grant, "signInMethod" | "passwordEnvelope" | "tapEnvelope">): boolean {
  return grant.signInMethod === "tap" ? grant.tapEnvelope !== null : grant.passwordEnvelope !== null;
}

/** The grant's credential in clear text. Call only after the audit event of the read is written. */
export function unsealCredential(grant: SealedGrant): JitCredential {
  if (!hasCredential(grant)) throw new AppError("conflict", "There is no credential to reveal yet.");
  const tap = grant.signInMethod === "tap";
  return {
    userPrincipalName: grant.upn,
    signInMethod: grant.signInMethod,
    temporaryAccessPass: tap ? decryptSecret(keyRing(), grant.tapEnvelope!, tapContext(grant.id)) : null,
    temporaryAccessPassExpiresAt: tap ? grant.tapExpiresAt : null,
    password: tap ? null : unsealPassword({ id: grant.id, passwordEnvelope: grant.passwordEnvelope! }),
  };
}
