import { ensureTls } from "../tls";
import { defaultStateDir } from "../server";

/**
 * Vitest global setup: makes sure the emulator's CA exists and points NODE_EXTRA_CA_CERTS at it. Vitest forks its
 * workers after global setup with this process's environment, so Node's fetch (used by MSAL and the Graph client)
 * in every test file trusts the emulator, with certificate verification left on.
 */
export default async function setup(): Promise<void> {
  const tls = await ensureTls(defaultStateDir);
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
}
