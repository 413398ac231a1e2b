import { parseArgs } from "node:util";
import pino from "pino";
import { sandboxPsa, seedSandbox } from "./sandbox";
import { startEmulator } from "./server";

const usage = `Usage: npm run emulator -- [options]
  --port <n>              listen port (default 8443; 0 = any free port)
  --browser-port <n>      also serve the sign-in and consent pages over http on this loopback port (0 = any)
  --host <addr>           listen address (default 127.0.0.1 and ::1)
  --test-control          mount the /_emulator control API
  --latency <ms>          delay every response
  --seed <n>              seed for injected faults (default 1)
  --token-lifetime <s>    expires_in of issued tokens (default 3599)
  --state-dir <path>      where tls/ and the signing key live (default .data/emulator)
  --sandbox               seed the "Contoso (sandbox)" tenant, Stint's sandbox app and a sandbox HaloPSA
  --sandbox-consented     ...with admin consent already granted
  --redirect-uri <url>    admin-consent redirect URI of the sandbox app (repeatable; default http://localhost:3000/)
  --log-level <level>     pino level (default info; debug logs every request)`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "browser-port": { type: "string" },
      host: { type: "string" },
      "test-control": { type: "boolean", default: false },
      latency: { type: "string" },
      seed: { type: "string" },
      "token-lifetime": { type: "string" },
      "state-dir": { type: "string" },
      sandbox: { type: "boolean", default: false },
      "sandbox-consented": { type: "boolean", default: false },
      "redirect-uri": { type: "string", multiple: true },
      "log-level": { type: "string", default: "info" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const logger = pino({ level: values["log-level"], base: { service: "emulator" } });
  const emulator = await startEmulator({
    port: integer(values.port, "port") ?? 8443,
    browserPort: integer(values["browser-port"], "browser-port"),
    host: values.host,
    testControl: values["test-control"],
    latencyMs: integer(values.latency, "latency"),
    seed: integer(values.seed, "seed"),
    tokenLifetimeSeconds: integer(values["token-lifetime"], "token-lifetime"),
    stateDir: values["state-dir"],
    logger,
  });
  logger.info({ url: emulator.url, caCertPath: emulator.caCertPath, testControl: values["test-control"] }, "Entra emulator listening");
  console.log(`\nEntra emulator: ${emulator.url}\nTrust its CA:   NODE_EXTRA_CA_CERTS=${emulator.caCertPath}`);
  if (emulator.browserUrl) console.log(`For browsers:   ${emulator.browserUrl} (sign-in and consent pages over http, no CA to trust)`);

  if (values.sandbox || values["sandbox-consented"]) {
    const sandbox = seedSandbox(emulator.control, {
      redirectUris: values["redirect-uri"] ?? ["http://localhost:3000/"],
      consented: values["sandbox-consented"],
    });
    console.log(
      `Sandbox tenant: ${sandbox.tenantId} (${sandbox.tenantDomain})\n` +
        `Sandbox app:    client id ${sandbox.clientId}, secret ${sandbox.clientSecret}\n` +
        `Admin consent:  ${emulator.url}/${sandbox.tenantId}/v2.0/adminconsent?client_id=${sandbox.clientId}` +
        `&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=<one of the registered redirect URIs>\n` +
        `Sandbox Halo:   ${emulator.url}/halo/${sandboxPsa.halo.instance}, client id ${sandboxPsa.halo.clientId}, secret ${sandboxPsa.halo.clientSecret}`,
    );
  }

  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(1);
});
