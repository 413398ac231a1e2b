import { spawn } from "node:child_process";
import path from "node:path";
import { sleep } from "../stats";

const repo = path.resolve(import.meta.dirname, "../..");

/**
 * The production web server (scripts/web-server.ts: `next start` plus the headers every answer carries)
 * on `port`, from the build in .next, with `env`; answers once /api/health does, with a stop function.
 */
export async function startWebServer(port: number, env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const child = spawn(path.join(repo, "node_modules", ".bin", "tsx"), ["scripts/web-server.ts", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: repo,
    env: { ...env, STINT_PROCESS: "web" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with ${child.exitCode} before answering`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) return stop;
    await sleep(250);
  }
  await stop();
  throw new Error(`the web server did not answer /api/health on port ${port} within 60 s`);
}
