import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Worker } from "@playwright/test";

export const EXTENSION_DIR = path.join(import.meta.dirname, "..", "..", "extension", ".output", "chrome-mv3");

/** A look-alike host: the emulator's very same sign-in page, served on an origin that is not Microsoft's. */
export const LOOKALIKE_HOST = "login.microsoftonline.com.evil.example";

/**
 * Chromium with the built extension loaded, as a technician's browser: Microsoft's sign-in host, the Azure
 * portal (and a look-alike) resolve to the emulator, whose certificate is trusted by its key only, so the
 * extension runs unmodified against "https://portal.azure.com" and "https://login.microsoftonline.com".
 */
export async function launchWithExtension(emulatorSpki = process.env.E2E_EMULATOR_SPKI!): Promise<{ context: BrowserContext; serviceWorker: Worker; extensionId: string }> {
  if (!existsSync(path.join(EXTENSION_DIR, "manifest.json"))) throw new Error("Build the extension first: npm run build:extension");
  const emulator = `127.0.0.1:${process.env.E2E_EMULATOR_PORT}`;
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), "stint-ext-")), {
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    baseURL: process.env.APP_URL,
    // Times show in the browser's zone: one zone wherever the suite runs, so what the specs type and read means the same.
    timezoneId: "UTC",
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      `--host-resolver-rules=MAP login.microsoftonline.com:443 ${emulator}, MAP portal.azure.com:443 ${emulator}, MAP ${LOOKALIKE_HOST}:443 ${emulator}`,
      `--ignore-certificate-errors-spki-list=${emulatorSpki}`,
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  return { context, serviceWorker, extensionId: new URL(serviceWorker.url()).host };
}
