import { readFileSync } from "node:fs";
import type { TenantSnapshot } from "@/emulator/control/control";
import { sandboxIdentity } from "@/emulator/sandbox";
import { defaultStateDir } from "@/emulator/server";
import { createHttpsClient } from "@/emulator/testing/https-client";

/** Reads the sandbox tenant back from the e2e emulator's control API (what Microsoft would show). */
export async function inspectSandboxTenant(): Promise<TenantSnapshot> {
  const http = createHttpsClient(readFileSync(`${defaultStateDir}/tls/ca.pem`, "utf8"));
  const res = await http(`https://localhost:${process.env.E2E_EMULATOR_PORT}/_emulator/tenants/${sandboxIdentity.tenantId}`);
  if (res.status !== 200) throw new Error(`emulator control answered ${res.status}`);
  return res.json<TenantSnapshot>();
}
