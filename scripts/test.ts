import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createDatabase, dropDatabase } from "@/test/db";
import { ensureChromium, machineProbes } from "./lib/chromium-check";

/**
 * `npm test`: first makes sure the e2e suite's browser is there (installing it as root, else stopping
 * at once with the command to run), then lint and type-check, unit and integration suites (vitest) on a database made for this
 * run, then the production build, the browser extension's build and the Playwright e2e suite in Debian's Chromium. Ends with one line
 * "N passed, N failed" summing every suite.
 */
type Tally = { passed: number; failed: number };
const tallies: Record<string, Tally> = {};

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function step(name: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv) {
  console.log(`\n━━ ${name} ━━`);
  const code = await run(cmd, args, env);
  tallies[name] = code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  return code;
}

function readVitest(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(file, "utf8"));
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + (report.numTotalTestSuites === 0 ? 1 : 0) };
}

function readPlaywright(file: string): Tally {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const stats = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) };
}

/** A suite that exited non-zero, or ran nothing, failed, whatever its report says (a server that did not start). */
function judged(tally: Tally, exitCode: number): Tally {
  return exitCode !== 0 || tally.passed + tally.failed === 0 ? { ...tally, failed: Math.max(tally.failed, 1) } : tally;
}

function report(): never {
  const total = Object.values(tallies).reduce((a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed }), { passed: 0, failed: 0 });
  console.log("\n" + Object.entries(tallies).map(([k, t]) => `${k}: ${t.passed} passed, ${t.failed} failed`).join("\n"));
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(total.failed === 0 ? 0 : 1);
}

console.log("━━ browser for e2e ━━");
const browser = await ensureChromium(machineProbes((msg) => console.log(`[stint test] ${msg}`)));
if (!browser.ok) {
  console.error(`[stint test] ${browser.message}`);
  tallies.chromium = { passed: 0, failed: 1 };
  report();
}
console.log(`[stint test] e2e runs in ${browser.path}`);

const dbName = `stint_test_${Date.now()}_${process.pid}`;
const database = await createDatabase(dbName);
try {
  const env = { ...process.env, DATABASE_URL: database.url, DATABASE_OWNER_URL: database.ownerUrl, STINT_TEST_DATABASE_READY: "1", NEXT_TELEMETRY_DISABLED: "1" };
  rmSync("test-results", { recursive: true, force: true });

  await step("lint", "npx", ["eslint", "."]);
  await step("typecheck", "npx", ["tsc", "--noEmit"]);

  console.log("\n━━ unit + integration (vitest) ━━");
  const vitest = await run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/vitest.json"], env);
  tallies.vitest = judged(readVitest("test-results/vitest.json"), vitest);

  const built = await step("build", "npx", ["next", "build"], env);
  // Every page's first-load JavaScript within its budget (bench/page-weight.ts), from the build just made.
  if (built === 0) await step("page weight", "npx", ["tsx", "bench/page-weight.ts"]);
  const extension = await step("build extension", "npx", ["tsx", "scripts/build-extension.ts"], env);
  if (built === 0 && extension === 0) {
    console.log("\n━━ e2e (playwright) ━━");
    const e2e = await run("npx", ["playwright", "test"], env);
    tallies.e2e = judged(readPlaywright("test-results/e2e.json"), e2e);
  }
} finally {
  await dropDatabase(dbName).catch(() => undefined);
}

report();
