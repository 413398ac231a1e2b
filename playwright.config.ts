import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { defaultStateDir } from "./emulator/server";
import { ensureTls } from "./emulator/tls";
import { databaseUrlsFor } from "./test/db";

const port = Number(process.env.E2E_PORT ?? 3100);
// Set once in the runner; its test workers inherit it, so all of them point at the same database.
process.env.E2E_RUN_ID ??= `${Date.now()}_${process.pid}`;
const runId = process.env.E2E_RUN_ID;
// The specs that seed data (e2e/tenancy.spec.ts) use the services on the server's database, as the server
// does; those that inspect or alter rows behind the application's back connect as the owner.
const database = databaseUrlsFor(`stint_e2e_${runId}`);
process.env.DATABASE_URL = database.url;
process.env.DATABASE_OWNER_URL = database.ownerUrl;
process.env.APP_URL = `http://localhost:${port}`;
// The server's queues: a grant a spec requests through the services is provisioned by the server's worker, and
// no job of the run lands in another installation's queues on the same Redis.
process.env.QUEUE_PREFIX = `stint_e2e_${runId}`;
process.env.E2E_EMULATOR_PORT ??= String(port + 444);
process.env.E2E_SECOND_PORT ??= String(port + 1);
// The local SMTP server e2e/support/serve.ts starts for the app's e-mail; specs read what it received (e2e/support/mail.ts).
process.env.E2E_SMTP_PORT ??= String(port + 25);
// One key ring for the server and the specs that seed tokens or grants through the services.
process.env.ENCRYPTION_KEYS ??= `e2e:${randomBytes(32).toString("base64")}`;
// The first-run setup code the server is started with, and the identity spec types.
process.env.SETUP_CODE ??= `E2E-${randomBytes(12).toString("hex")}`;

// The extension's browser trusts exactly the emulator's server key, for the Microsoft hosts it maps there
// (e2e/support/extension.ts). Every other browser trusts nothing extra: the sandbox's sign-in and consent pages
// must open without a certificate warning, as in a newcomer's browser.
const tls = await ensureTls(defaultStateDir);
const emulatorSpki = createHash("sha256")
  .update(new X509Certificate(tls.serverCert).publicKey.export({ type: "spki", format: "der" }))
  .digest("base64");
process.env.E2E_EMULATOR_SPKI = emulatorSpki;

// One web + worker pair on a database made for this run (e2e/support/serve.ts creates and drops it).
export default defineConfig({
  testDir: "./e2e",
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    // WebAuthn refuses IP origins: the page must be on "localhost".
    baseURL: `http://localhost:${port}`,
    browserName: "chromium",
    // Times show in the browser's zone: one zone wherever the suite runs (e2e/time-zone.spec.ts picks others).
    timezoneId: "UTC",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    },
    trace: "retain-on-failure",
  },
  webServer: {
    command: "npx tsx e2e/support/serve.ts",
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(port), E2E_RUN_ID: runId, E2E_EMULATOR_PORT: process.env.E2E_EMULATOR_PORT, E2E_SECOND_PORT: process.env.E2E_SECOND_PORT, E2E_SMTP_PORT: process.env.E2E_SMTP_PORT },
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
