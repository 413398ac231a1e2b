import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { Passkey } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { rp } from "./rp";
import { authenticationResponseInput, type AuthenticationResponse } from "./schemas";

export function parseAuthenticationResponse(body: unknown): AuthenticationResponse {
  const parsed = authenticationResponseInput.safeParse(body);
  if (!parsed.success) throw new AppError("bad_request", "The passkey response is malformed.");
  return parsed.data;
}

/** Options for a discoverable sign-in (no allow list) or a step-up (the member's own passkeys). */
export function buildAuthenticationOptions(allowCredentialIds: string[] = []): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: rp.timeoutMs,
    userVerification: "required",
    allowCredentials: allowCredentialIds.map((id) => ({ id })),
  });
}

export class PasskeyRejected extends Error {}

/**
 * Verifies an assertion against the stored passkey: challenge, origin, RP ID, UP, UV, signature,
 * counter (a regression is refused unless both counters are 0, as synced passkeys report) and the
 * backup-eligibility flag, which an authenticator sets for good when it makes the credential (WebAuthn
 * §6.1.3). Returns the new counter and backup state.
 */
export async function verifyAssertion(args: {
  response: AuthenticationResponse;
  expectedChallenge: string;
  passkey: Passkey;
}): Promise<{ newCounter: number; backedUp: boolean }> {
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: args.response as unknown as AuthenticationResponseJSON,
      expectedChallenge: args.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: args.passkey.id,
        publicKey: isoBase64URL.toBuffer(args.passkey.publicKey),
        counter: args.passkey.counter,
        transports: args.passkey.transports as AuthenticatorTransport[],
      },
    });
  } catch (cause) {
    throw new PasskeyRejected(cause instanceof Error ? cause.message : "assertion rejected");
  }
  if (!verification.verified) throw new PasskeyRejected("assertion not verified");
  const info = verification.authenticationInfo;
  if ((info.credentialDeviceType === "multiDevice") !== args.passkey.backupEligible) {
    throw new PasskeyRejected("backup eligibility changed since registration");
  }
  return { newCounter: info.newCounter, backedUp: info.credentialBackedUp };
}
