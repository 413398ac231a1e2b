import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { AppError } from "@/lib/errors";
import { rp } from "./rp";
import { registrationResponseInput } from "./schemas";

export async function buildRegistrationOptions(args: {
  userHandle: string;
  email: string;
  displayName: string;
  excludeCredentialIds: string[];
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: isoBase64URL.toBuffer(args.userHandle),
    userName: args.email,
    userDisplayName: args.displayName,
    attestationType: "none",
    timeout: rp.timeoutMs,
    supportedAlgorithmIDs: [...rp.algorithms],
    excludeCredentials: args.excludeCredentialIds.map((id) => ({ id })),
    // Discoverable credentials (username-less sign-in) with user verification, always.
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
}

export type VerifiedPasskey = {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
};

/** Checks origin, RP ID, challenge, UP and UV; returns the credential to store. */
export async function verifyRegistration(response: unknown, expectedChallenge: string): Promise<VerifiedPasskey> {
  const parsed = registrationResponseInput.safeParse(response);
  if (!parsed.success) throw new AppError("bad_request", "The passkey response is malformed.");
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: parsed.data as unknown as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      requireUserPresence: true,
      supportedAlgorithmIDs: [...rp.algorithms],
    });
  } catch (cause) {
    throw new AppError("bad_request", "The passkey could not be verified.", { cause });
  }
  if (!verification.verified) throw new AppError("bad_request", "The passkey could not be verified.");
  const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
  // WebAuthn (§7.1 step 22) caps credential ids at 1023 bytes; a longer one is refused.
  if (isoBase64URL.toBuffer(credential.id).byteLength > 1023) {
    throw new AppError("bad_request", "The passkey's credential id is too long.");
  }
  return {
    id: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    aaguid,
    backupEligible: credentialDeviceType === "multiDevice",
    backedUp: credentialBackedUp,
  };
}
