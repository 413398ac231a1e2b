import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startSandboxEmulator } from "@/scripts/lib/sandbox-emulator";
import { createDatabase, dropDatabase } from "@/test/db";
import { startLocalSmtp } from "@/test/smtp-server";
import { mailDir } from "./mail";

/**
 * Serves the built app for Playwright: a fresh database, migrations, the sandbox Entra emulator,
 * the web server (scripts/web-server.ts) twice and the worker, with their own queue prefix, and a local SMTP server the app
 * sends its e-mail to (each message kept as a JSON file for the specs); on SIGTERM it stops both and drops the database.
 */
const bin = (name: string) => path.join(import.meta.dirname, "..", "..", "node_modules", ".bin", name);
const port = process.env.E2E_PORT ?? "3100";
// A second web instance on the same database, for the cross-instance replay test of launch tickets.
const secondPort = process.env.E2E_SECOND_PORT ?? String(Number(port) + 1);
const runId = process.env.E2E_RUN_ID ?? String(Date.now());
const dbName = `stint_e2e_${runId}`;
const database = await createDatabase(dbName);

const root = path.join(import.meta.dirname, "..", "..");
const mail = mailDir(runId);
mkdirSync(mail, { recursive: true });
const smtp = await startLocalSmtp(Number(process.env.E2E_SMTP_PORT ?? Number(port) + 25));
smtp.onMail = (message) => writeFileSync(path.join(mail, `${Date.now()}-${smtp.received.length}.json`), JSON.stringify(message));
// The control API lets the specs read the emulated tenant back (users, roles, session revocations).
const emulator = await startSandboxEmulator({ root, appUrl: `http://localhost:${port}`, port: Number(process.env.E2E_EMULATOR_PORT), testControl: true });
const env = {
  ...process.env,
  ...emulator.env,
  // The e2e suite exercises the sandbox, which is offered only without an app registration of Stint's own.
  ENTRA_CLIENT_ID: "",
  ENTRA_CLIENT_SECRET: "",
  NODE_ENV: "production" as const,
  DATABASE_URL: database.url,
  DATABASE_OWNER_URL: database.ownerUrl,
  APP_URL: `http://localhost:${port}`,
  // The same as the specs' (playwright.config.ts), so what they queue through the services reaches this worker.
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? `stint_e2e_${runId}`,
  WORKER_HEALTH_PORT: "0",
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  NEXT_TELEMETRY_DISABLED: "1",
  // The extension opens the default EXTENSION_SIGN_IN_URL, the Azure portal: Chromium maps it and Microsoft's
  // sign-in host to the emulator in e2e/support/extension.ts.
  EXTENSION_SIGN_IN_URL: "https://portal.azure.com/{tenantId}",
  SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  SMTP_FROM: "Stint <stint@e2e.example>",
};
const children: ChildProcess[] = [
  emulator.child,
  spawn(bin("tsx"), ["scripts/web-server.ts", "-p", port, "-H", "127.0.0.1"], { cwd: root, env: { ...env, STINT_PROCESS: "web" }, stdio: "inherit" }),
  spawn(bin("tsx"), ["scripts/web-server.ts", "-p", secondPort, "-H", "127.0.0.1"], { cwd: root, env: { ...env, STINT_PROCESS: "web", DB_POOL_MAX: "3" }, stdio: "inherit" }),
  spawn(bin("tsx"), ["jobs/worker.ts"], { env: { ...env, STINT_PROCESS: "worker", DB_POOL_MAX: "3" }, stdio: "inherit" }),
];

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once("exit", () => resolve()), c.kill("SIGTERM"))))),
  );
  await dropDatabase(dbName).catch(() => undefined);
  await smtp.close();
  rmSync(mail, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
for (const c of children) c.on("exit", (code) => void stop(code ?? 1));
