import { seedSandbox } from "@/emulator/sandbox";
import { defaultStateDir, startEmulator } from "@/emulator/server";
import { ensureTls } from "@/emulator/tls";
import { requiredGraphPermissions } from "@/lib/entra/permissions";

/** Stint's test app registration in the emulator; every integration test talks to "Microsoft" through it. */
export const testApp = {
  clientId: "5d3c6a1e-2b4f-4c8d-9e0a-1f2b3c4d5e6f",
  clientSecret: "stint-test-secret-emulator-only",
};
export const testAppUrl = "http://localhost:3000";

/**
 * Integration suites run one emulator (with its control API) for the whole run, in this process; test
 * workers inherit the environment that points Stint's Entra configuration at it and trusts its CA.
 */
export default async function setup() {
  const tls = await ensureTls(defaultStateDir);
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
  const emulator = await startEmulator({ testControl: true, port: 0 });
  const callback = `${process.env.APP_URL ?? testAppUrl}/api/entra/consent/callback`;
  emulator.control.registerApp({
    clientId: testApp.clientId,
    displayName: "Stint (tests)",
    secrets: [{ value: testApp.clientSecret }],
    requiredPermissions: [...requiredGraphPermissions],
    redirectUris: [callback],
  });
  const sandbox = seedSandbox(emulator.control, { redirectUris: [callback], consented: false });
  Object.assign(process.env, {
    ENTRA_CLIENT_ID: testApp.clientId,
    ENTRA_CLIENT_SECRET: testApp.clientSecret,
    ENTRA_AUTHORITY_HOST: emulator.url,
    GRAPH_BASE_URL: emulator.url,
    SANDBOX_EMULATOR_URL: emulator.url,
    SANDBOX_TENANT_ID: sandbox.tenantId,
    SANDBOX_CLIENT_ID: sandbox.clientId,
    SANDBOX_CLIENT_SECRET: sandbox.clientSecret,
    EMULATOR_CONTROL_URL: `${emulator.url}/_emulator`,
  });
  return () => emulator.stop();
}
