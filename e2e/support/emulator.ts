import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TenantSnapshot } from "@/emulator/control/control";
import type { ConnectWiseInstanceSnapshot } from "@/emulator/control/connectwise-instances";
import type { HaloInstanceSnapshot } from "@/emulator/control/halo-instances";
import type { ConnectWiseInstanceSeed, HaloInstanceSeed } from "@/emulator/control/psa-schemas";
import type { TenantSeed } from "@/emulator/control/schemas";
import { sandboxIdentity } from "@/emulator/sandbox";
import { defaultStateDir } from "@/emulator/server";
import { createHttpsClient } from "@/emulator/testing/https-client";

const http = () => createHttpsClient(readFileSync(`${defaultStateDir}/tls/ca.pem`, "utf8"));
const controlUrl = (path: string) => `https://localhost:${process.env.E2E_EMULATOR_PORT}/_emulator${path}`;

async function control<T>(method: string, path: string, json?: unknown): Promise<T> {
  const res = await http()(controlUrl(path), { method, ...(json === undefined ? {} : { json }) });
  if (res.status >= 300) throw new Error(`emulator control ${method} ${path} answered ${res.status}: ${res.text}`);
  return res.json<T>();
}

/** Reads an emulated tenant back from the e2e emulator's control API (what Microsoft would show). */
export function inspectTenant(tenantId: string): Promise<TenantSnapshot> {
  return control("GET", `/tenants/${tenantId}`);
}

/** Reads the sandbox tenant back (what Microsoft would show). */
export function inspectSandboxTenant(): Promise<TenantSnapshot> {
  return inspectTenant(sandboxIdentity.tenantId);
}

/** A new emulated tenant in which Stint's sandbox app already has admin consent; `seed` adds e.g. its pass policy. */
export async function consentedSandboxTenant(label: string, seed: Pick<TenantSeed, "tapPolicy" | "settings"> = {}): Promise<TenantSnapshot> {
  const name = `${label}-${randomBytes(4).toString("hex")}`;
  const tenant = await control<TenantSnapshot>("POST", "/tenants", { displayName: `${label} (${name})`, domains: [`${name}.onmicrosoft.com`], ...seed });
  await control("PUT", `/tenants/${tenant.id}/consents/${sandboxIdentity.clientId}`, { granted: true });
  return tenant;
}

/** The address Stint's settings name for an emulated PSA instance: HaloPSA's "Resource Server", ConnectWise's site. */
export const psaBaseUrl = (kind: "halo" | "connectwise", instance: string): string => `https://localhost:${process.env.E2E_EMULATOR_PORT}/${kind}/${instance}`;

/** Creates or replaces an emulated HaloPSA instance (clients, agents, tickets, the API application's credentials). */
export const putHaloInstance = (instance: string, seed: HaloInstanceSeed) => control<HaloInstanceSnapshot>("PUT", `/psa/halo/${instance}`, seed);

/** Reads an emulated HaloPSA instance back: its tickets and every action Stint wrote on them. */
export const inspectHaloInstance = (instance: string) => control<HaloInstanceSnapshot>("GET", `/psa/halo/${instance}`);

/** Creates or replaces an emulated ConnectWise PSA site (companies, members, tickets, the API member's keys). */
export const putConnectWiseInstance = (instance: string, seed: ConnectWiseInstanceSeed) => control<ConnectWiseInstanceSnapshot>("PUT", `/psa/connectwise/${instance}`, seed);
