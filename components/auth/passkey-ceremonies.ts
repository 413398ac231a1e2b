"use client";

import {
  startAuthentication,
  startRegistration,
  WebAuthnError,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { api, ApiError } from "@/components/api/client";

/**
 * The browser's credential JSON as a plain object type: @simplewebauthn/browser declares it with
 * interfaces, which TypeScript does not let stand in for the request body's open object schema.
 */
type Plain<T> = { [K in keyof T]: T[K] extends object ? Plain<T[K]> : T[K] };

function describeBrowserError(err: unknown): Error {
  if (err instanceof WebAuthnError || (err instanceof Error && err.name === "NotAllowedError")) {
    return new ApiError("cancelled", "The passkey prompt was cancelled or timed out. Try again.");
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Options from the server (`begin`) → the browser creates a passkey → the server verifies and stores it
 * (`finish`, given the new credential).
 */
export async function registerPasskey<T>(
  begin: () => Promise<PublicKeyCredentialCreationOptionsJSON>,
  finish: (credential: Plain<RegistrationResponseJSON>) => Promise<T>,
): Promise<T> {
  const optionsJSON = await begin();
  let attestation;
  try {
    attestation = await startRegistration({ optionsJSON });
  } catch (err) {
    throw describeBrowserError(err);
  }
  return finish(attestation);
}

/** Options from the server (`begin`) → the browser signs with a passkey → the server verifies the assertion (`finish`). */
export async function assertPasskey<T>(
  begin: () => Promise<PublicKeyCredentialRequestOptionsJSON>,
  finish: (assertion: Plain<AuthenticationResponseJSON>) => Promise<T>,
): Promise<T> {
  const optionsJSON = await begin();
  let assertion;
  try {
    assertion = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw describeBrowserError(err);
  }
  return finish(assertion);
}

/**
 * Runs a sensitive action; if the server asks for a fresh passkey check (step_up_required), performs
 * the step-up ceremony and runs the action once more.
 */
export async function withStepUp<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "step_up_required") throw err;
    await assertPasskey(() => api("startStepUp"), (assertion) => api("completeStepUp", { body: assertion }));
    return action();
  }
}
