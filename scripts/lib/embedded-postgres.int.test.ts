import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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
