import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase, dropDatabase } from "@/test/db";
import { auditPages, type AuditedPage } from "./lighthouse/audit";
import { allMet, printScores, writeScores, TARGETS } from "./lighthouse/report";
import { startWebServer } from "./lighthouse/server";
import { busyShare, cpuTimes } from "./stats";

/**
 * `npm run lighthouse [-- --write] [--port 3300] [--runs 3] [--reports DIR]`, after `npx next build`:
 * Lighthouse's desktop preset on the sign-in page, and on the overview and the Grants page signed in as the
 * owner of a seeded MSP, against the production server on a database made for the run (dropped after).
 * Prints performance, accessibility and best-practices scores with LCP, TBT and CLS per page; --write puts
 * them into docs/performance.md, --reports keeps each page's full Lighthouse report (JSON) in DIR. Needs
 * Postgres and Redis as `npm test` does, and Chromium (CHROMIUM_PATH, else /usr/bin/chromium). Exits
 * non-zero only on errors; missed targets are reported.
 */
const { values } = parseArgs({
  options: {
    write: { type: "boolean", default: false },
    port: { type: "string", default: "3300" },
    runs: { type: "string", default: "3" },
    reports: { type: "string" },
  },
});
const port = Number(values.port);
const runs = Number(values.runs);
const repo = path.resolve(import.meta.dirname, "..");
const baseUrl = `http://localhost:${port}`;

function commit(): string {
  const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repo, encoding: "utf8" }).trim() !== "";
  return dirty ? `${head} with uncommitted changes` : head;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
}

const chromiumVersion = () =>
  execFileSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

const lighthouseVersion = () => (JSON.parse(readFileSync(path.join(repo, "node_modules/lighthouse/package.json"), "utf8")) as { version: string }).version;

/** Each page once more than Lighthouse will load it, so no audit pays for the server's first render. */
async function warmUp(pages: AuditedPage[]) {
  for (const page of pages) {
    for (let i = 0; i < 2; i++) await fetch(new URL(page.path, baseUrl), { headers: page.session ? { cookie: `stint_session=${page.session}` } : {} }).then((r) => r.text());
  }
}

const dbName = `stint_lighthouse_${Date.now()}_${process.pid}`;
const database = await createDatabase(dbName);
let stopServer: (() => Promise<void>) | undefined;
try {
  const env = {
    NODE_ENV: "production" as const,
    DATABASE_URL: database.url,
    DATABASE_OWNER_URL: database.ownerUrl,
    APP_URL: baseUrl,
    QUEUE_PREFIX: `stint-lighthouse-${randomBytes(4).toString("hex")}`,
    ENCRYPTION_KEYS: `lighthouse:${randomBytes(32).toString("base64")}`,
    SETUP_CODE: `LH-${randomBytes(12).toString("hex")}`,
    ENTRA_CLIENT_ID: "",
    ENTRA_CLIENT_SECRET: "",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The seeding below reads its configuration (lib/env.ts) at import time, from this process's environment.
  Object.assign(process.env, env);
  const { seedConsole } = await import("./lighthouse/seed");
  const session = await seedConsole();
  stopServer = await startWebServer(port, { ...process.env, ...env });
  const pages: AuditedPage[] = [
    { name: "Sign-in", path: "/sign-in" },
    { name: "Overview", path: "/overview", session },
    { name: "Grants", path: "/grants", session },
  ];
  await warmUp(pages);
  const before = cpuTimes();
  const scores = await auditPages(baseUrl, pages, runs);
  const busyPercent = Math.round(busyShare(before, cpuTimes()) * 100);
  const run = { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", commit: commit(), machine: machine(), busyPercent, lighthouse: lighthouseVersion(), chromium: chromiumVersion(), runs };
  printScores(run, scores);
  if (values.reports) {
    mkdirSync(values.reports, { recursive: true });
    for (const s of scores) writeFileSync(path.join(values.reports, `${s.path.slice(1)}.json`), JSON.stringify(s.report, null, 1));
    console.log(`\nfull reports in ${values.reports}`);
  }
  if (values.write) console.log(`\nwrote ${path.relative(process.cwd(), await writeScores(run, scores))}`);
  console.log(allMet(scores) ? "\nevery page meets the targets" : `\ntargets missed (performance ≥ ${TARGETS.performance}, accessibility ${TARGETS.accessibility})`);
} finally {
  await stopServer?.();
  await dropDatabase(dbName).catch(() => undefined);
}
