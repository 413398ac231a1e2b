import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { PsaError } from "@/lib/psa/types";
import type { ConnectWiseInstanceSnapshot } from "@/emulator/control/connectwise-instances";
import type { HaloInstanceSnapshot } from "@/emulator/control/halo-instances";
import type { ConnectWiseInstanceSeed, HaloInstanceSeed, PsaRateLimitInput } from "@/emulator/control/psa-schemas";

/**
 * The PSA instances of the emulator test/emulator-setup.ts started for this run, driven through its control API
 * (`EMULATOR_CONTROL_URL`). Instance names are random, so suites do not meet each other's.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through the integration project (test/emulator-setup.ts).`);
  return value;
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${required("EMULATOR_CONTROL_URL")}/psa${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control ${method} /psa${path} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export type PsaEmulatorKind = "halo" | "connectwise";

export const psaInstanceName = (prefix: string): string => `${prefix}-${randomBytes(4).toString("hex")}`;

/** The base URL Stint's settings name: `baseUrl` of a Halo instance, `siteUrl` of a ConnectWise site. */
export const psaBaseUrl = (kind: PsaEmulatorKind, instance: string): string => `${required("ENTRA_AUTHORITY_HOST")}/${kind}/${instance}`;

export const putHaloInstance = (instance: string, seed: HaloInstanceSeed) => control<HaloInstanceSnapshot>("PUT", `/halo/${instance}`, seed);
export const inspectHaloInstance = (instance: string) => control<HaloInstanceSnapshot>("GET", `/halo/${instance}`);
export const expireHaloTokens = (instance: string) => control<HaloInstanceSnapshot>("POST", `/halo/${instance}/expire-tokens`);

export const putConnectWiseInstance = (instance: string, seed: ConnectWiseInstanceSeed) =>
  control<ConnectWiseInstanceSnapshot>("PUT", `/connectwise/${instance}`, seed);
export const inspectConnectWiseInstance = (instance: string) => control<ConnectWiseInstanceSnapshot>("GET", `/connectwise/${instance}`);

/** Moves a ticket to a status of its instance by name, e.g. "Closed". */
export const setPsaTicketStatus = (kind: PsaEmulatorKind, instance: string, ticketId: number, status: string) =>
  control<unknown>("PUT", `/${kind}/${instance}/tickets/${ticketId}/status`, { status });

/** The instance's next `calls` calls answer 429 with Retry-After. */
export const setPsaRateLimit = (kind: PsaEmulatorKind, instance: string, input: PsaRateLimitInput) => control<unknown>("PUT", `/${kind}/${instance}/rate-limit`, input);

/** The PsaError a client call fails with (the test fails if it succeeds or throws anything else). */
export async function psaRefusal(promise: Promise<unknown>): Promise<PsaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PsaError);
  return error as PsaError;
}
