import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "@playwright/test";
import type { ReceivedMail } from "@/test/smtp-server";

/** Where e2e/support/serve.ts keeps what its local SMTP server received, one JSON file per message. */
export const mailDir = (runId: string) => path.join(os.tmpdir(), `stint-e2e-mail-${runId}`);

/** Every message the app has sent so far, oldest first. */
export function receivedMail(): ReceivedMail[] {
  const dir = mailDir(process.env.E2E_RUN_ID!);
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as ReceivedMail);
}

/** Waits for the first message that matches, as the worker sends within moments of the event. */
export async function waitForMail(match: (mail: ReceivedMail) => boolean, timeout = 30_000): Promise<ReceivedMail> {
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      () => {
        found = receivedMail().find(match);
        return Boolean(found);
      },
      { timeout },
    )
    .toBe(true);
  return found!;
}
