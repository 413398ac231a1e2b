"use client";

import { startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { ApiError, callApi } from "./api-client";

function describeBrowserError(err: unknown): Error {
  if (err instanceof WebAuthnError || (err instanceof Error && err.name === "NotAllowedError")) {
    return new ApiError("cancelled", "The passkey prompt was cancelled or timed out. Try again.");
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Options from the server → the browser creates a passkey → the server verifies and stores it.
 * `verifyBody` wraps the new credential when the verify route needs more than the credential itself.
 */
export async function registerPasskey<T>(optionsUrl: string, verifyUrl: string, body?: unknown, verifyBody?: (credential: unknown) => unknown): Promise<T> {
  const optionsJSON = await callApi<Parameters<typeof startRegistration>[0]["optionsJSON"]>(optionsUrl, { body: body ?? {} });
  let attestation;
  try {
    attestation = await startRegistration({ optionsJSON });
  } catch (err) {
    throw describeBrowserError(err);
  }
  return callApi<T>(verifyUrl, { body: verifyBody ? verifyBody(attestation) : attestation });
}

/** Options from the server → the browser signs with a passkey → the server verifies the assertion. */
export async function assertPasskey<T>(optionsUrl: string, verifyUrl: string): Promise<T> {
  const optionsJSON = await callApi<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(optionsUrl, { body: {} });
  let assertion;
  try {
    assertion = await startAuthentication({ optionsJSON });
  } catch (err) {
    throw describeBrowserError(err);
  }
  return callApi<T>(verifyUrl, { body: assertion });
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
    await assertPasskey("/api/auth/step-up/options", "/api/auth/step-up/verify");
    return action();
  }
}
