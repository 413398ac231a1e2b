import { randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

/** Consonants only, as the extension's pairing codes: nothing to misread when typed from a terminal. */
const ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

/** 24 letters (20^24 ≈ 2^104), shown in groups of four. */
function newSetupCode(): string {
  const letters = Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return letters.match(/.{4}/g)!.join("-");
}

/**
 * The first-run setup code `npm start` gives the web server (SETUP_CODE) and prints, so that only
 * someone who sees this terminal or this machine's .data/ can create the first MSP and its owner — not
 * the first visitor of an exposed port. Made once and kept in .data/setup-code (mode 600) until setup is
 * done; null, and the file removed, once it is.
 */
export async function setupCodeFor(root: string, databaseUrl: string): Promise<string | null> {
  const file = path.join(root, ".data", "setup-code");
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const done = await sql`select 1 from system_state where key = 'setup'`;
    if (done.length > 0) {
      rmSync(file, { force: true });
      return null;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const code = newSetupCode();
  writeFileSync(file, `${code}\n`, { mode: 0o600 });
  return code;
}
