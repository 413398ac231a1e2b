import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { allowLocalAppRoleLogin, appRoleUrl } from "@/db/runtime-role";
import { loadOrCreateDevKeyRing } from "./lib/dev-keys";
import { setupCodeFor } from "./lib/setup-code";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { sandboxPsa } from "@/emulator/sandbox";
import { startSandboxEmulator } from "./lib/sandbox-emulator";
import { assertRedisReachable } from "./lib/redis-check";
import { handPortOver, startHoldingPage } from "./lib/holding-page";

/**
 * `npm start`: checks Redis, starts the embedded Postgres when DATABASE_URL is unset, applies
 * migrations, runs the Entra emulator for the sandbox customer when no app registration is configured, builds the web app if its build is missing or older than the source (a
 * holding page answers on the app's port meanwhile), then runs web and worker together until Ctrl-C (or until either exits), and shuts everything down in order.
 */
const root = path.resolve(import.meta.dirname, "..");
if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

const say = (msg: string) => console.log(`[stint] ${msg}`);
const appUrl = new URL(process.env.APP_URL ?? "http://localhost:3000");
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const port = appUrl.port || (appUrl.protocol === "https:" ? "443" : "80");

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (/\.(tsx?|css)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const sources = ["app", "components", "lib", "db"].map((d) => newestSourceMtime(path.join(root, d)));
  return statSync(buildId).mtimeMs >= Math.max(...sources);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => spawn(cmd, args, { cwd: root, env, stdio: "inherit" }).on("exit", (c) => resolve(c ?? 1)));
}

/** Local binaries directly, not through npx, so signals reach the real process. */
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

async function main() {
  try {
    await assertRedisReachable(redisUrl);
  } catch (err) {
    console.error(`[stint] ${(err as Error).message}`);
    process.exit(1);
  }

  // Up before the database starts, so the address answers within seconds of `npm start`.
  let holding: Awaited<ReturnType<typeof startHoldingPage>> | undefined;
  const needsBuild = !buildIsCurrent();
  if (needsBuild) {
    try {
      holding = await startHoldingPage(Number(port));
    } catch (err) {
      console.error(`[stint] ${(err as Error).message}`);
      process.exit(1);
    }
  }

  let stopPostgres = async () => {};
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    say("DATABASE_URL is not set: starting the embedded Postgres (its cluster in .data/postgres)");
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, ".data", "postgres"), log: say });
    stopPostgres = pg.stop;
    // The superuser migrates; web and worker log in as stint_app, which cannot step out of row-level security.
    await runMigrations(pg.url);
    const owner = postgres(pg.url, { max: 1, onnotice: () => {} });
    await allowLocalAppRoleLogin(owner).finally(() => owner.end());
    databaseUrl = appRoleUrl(pg.url);
  } else {
    await runMigrations(process.env.DATABASE_OWNER_URL ?? databaseUrl);
  }
  say("database migrated");

  if (needsBuild) {
    say(`building the web app (first start, or the source changed); ${appUrl.origin} says "Stint is starting" meanwhile…`);
    // A quicker build than `npm test`'s (next.config.ts): no type-check, no cache for later builds.
    const buildEnv = { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", STINT_START_BUILD: "1" };
    if ((await run(bin("next"), ["build"], buildEnv)) !== 0) {
      await stopPostgres();
      process.exit(1);
    }
  }

  const children: ChildProcess[] = [];
  // The owner's URL stays here: web and worker have no use for it.
  let env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_OWNER_URL: undefined, REDIS_URL: redisUrl, NEXT_TELEMETRY_DISABLED: "1" };
  if (!process.env.ENCRYPTION_KEYS) {
    env.ENCRYPTION_KEYS = loadOrCreateDevKeyRing(root);
    say("ENCRYPTION_KEYS is not set: using the key ring in .data/encryption-keys (set your own in production)");
  }
  if (!process.env.SETUP_CODE) {
    const setupCode = await setupCodeFor(root, databaseUrl);
    if (setupCode) {
      env.SETUP_CODE = setupCode;
      say(`first-run setup code: ${setupCode} (also in .data/setup-code); the setup page asks for it`);
    }
  }
  if (!process.env.ENTRA_CLIENT_ID) {
    const port = Number(process.env.EMULATOR_PORT ?? 8443);
    const emulator = await startSandboxEmulator({ root, appUrl: appUrl.origin, port });
    children.push(emulator.child);
    env = { ...env, ...emulator.env };
    say(`no Entra app registration configured: the sandbox emulator runs at ${emulator.url}`);
    const halo = sandboxPsa.halo;
    say(`a demo HaloPSA to connect on the PSA page: ${emulator.url}/halo/${halo.instance}, client ID ${halo.clientId}, secret ${halo.clientSecret}`);
  }

  // Not `next start`: the web server also determines client addresses and sets security headers. Node
  // itself with tsx's loader, so the IPC channel that hands over the holding page's port reaches it.
  const web = spawn(process.execPath, ["--import", "tsx", "scripts/web-server.ts", "-p", port], {
    cwd: root,
    env: { ...env, STINT_PROCESS: "web", STINT_HOLDING_PAGE: holding ? "1" : undefined },
    stdio: holding ? ["inherit", "inherit", "inherit", "ipc"] : "inherit",
  });
  if (holding) handPortOver(web, holding);
  children.push(
    web,
    spawn(bin("tsx"), ["jobs/worker.ts"], { cwd: root, env: { ...env, STINT_PROCESS: "worker", DB_POOL_MAX: "3" }, stdio: "inherit" }),
  );
  say(`Stint is starting at ${appUrl.origin} (worker health on 127.0.0.1:${process.env.WORKER_HEALTH_PORT ?? 3001}/health)`);

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping web and worker…");
    await Promise.all(
      children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode ? resolve() : (c.once("exit", () => resolve()), c.kill("SIGTERM"))))),
    );
    await stopPostgres();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  for (const c of children) c.on("exit", (code) => void stopAll(code ?? 1));
}

await main();
