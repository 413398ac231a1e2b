import { mkdtempSync, readFileSync, statSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { createDatabase, dropDatabase, type DatabaseUrls } from "@/test/db";
import { setupCodeFor } from "./setup-code";

// A database of its own: marking setup done here must not close setup for the other suites.
const dbName = `stint_test_setup_code_${Date.now()}_${process.pid}`;
let urls: DatabaseUrls;
const root = mkdtempSync(path.join(tmpdir(), "stint-setup-code-"));
const file = path.join(root, ".data", "setup-code");

beforeAll(async () => {
  urls = await createDatabase(dbName);
  await runMigrations(urls.ownerUrl);
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await dropDatabase(dbName);
});

describe("npm start's setup code", () => {
  it("is made once while setup is open, kept in .data/setup-code for this machine's user only", async () => {
    const code = await setupCodeFor(root, urls.url);
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}(-[BCDFGHJKLMNPQRSTVWXZ]{4}){5}$/);
    expect(readFileSync(file, "utf8").trim()).toBe(code);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The next start prints the same code.
    expect(await setupCodeFor(root, urls.url)).toBe(code);
  });

  it("is gone, file and all, once setup is done", async () => {
    const sql = postgres(urls.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      await sql`insert into system_state (key, value) values ('setup', '{}'::jsonb)`;
    } finally {
      await sql.end();
    }
    expect(await setupCodeFor(root, urls.url)).toBeNull();
    expect(existsSync(file)).toBe(false);
  });
});
