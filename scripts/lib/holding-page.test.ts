import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handPortOver, STARTING_MESSAGE, startHoldingPage } from "./holding-page";
import { freePort } from "./sandbox-emulator";

describe("the holding page npm start serves while it builds", () => {
  let port: number;
  let holding: Awaited<ReturnType<typeof startHoldingPage>>;
  beforeAll(async () => {
    port = await freePort();
    holding = await startHoldingPage(port);
  });
  afterAll(() => holding.close());

  it("answers a page with 503 and Retry-After that reloads itself", async () => {
    const res = await fetch(`http://localhost:${port}/sign-in`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>Stint is starting</h1>");
    expect(html).toContain("Building the web app for its first start (about a minute or two). This page reloads itself.");
  });

  it("answers API paths with the error envelope", async () => {
    const res = await fetch(`http://localhost:${port}/api/v1/me`, { headers: { accept: "application/json" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({ error: { code: "starting", message: STARTING_MESSAGE } });
    expect(STARTING_MESSAGE).toBe("Stint is starting — building the web app for its first start (about a minute or two). This page reloads itself.");
  });

  it("says clearly when another program holds the port", async () => {
    await expect(startHoldingPage(port)).rejects.toThrow(`Port ${port} is in use by another program`);
  });

  it("frees the port on close, even with a connection kept open", async () => {
    const other = await freePort();
    const page = await startHoldingPage(other);
    const kept = net.connect(other, "127.0.0.1");
    await once(kept, "connect");
    await page.close();
    const successor = net.createServer().listen(other);
    await once(successor, "listening");
    await new Promise((resolve) => successor.close(resolve));
    kept.destroy();
  });

  it("hands the port to the web server when it is ready to listen", async () => {
    const other = await freePort();
    const page = await startHoldingPage(other);
    const dir = await mkdtemp(path.join(tmpdir(), "stint-holding-"));
    const webServer = path.join(dir, "web.mts");
    const modulePath = fileURLToPath(new URL("./holding-page.ts", import.meta.url));
    await writeFile(
      webServer,
      `import { createServer } from "node:http";\n` +
        `import { takePortFromHoldingPage } from ${JSON.stringify(modulePath)};\n` +
        `await takePortFromHoldingPage();\n` +
        `createServer((req, res) => res.end("the app")).listen(${other}, () => console.log("listening"));\n`,
    );
    expect((await fetch(`http://localhost:${other}/`)).status).toBe(503);
    const web = spawn(process.execPath, ["--import", "tsx", webServer], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)), // where --import finds tsx
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    handPortOver(web, page);
    try {
      await once(createInterface({ input: web.stdout! }), "line");
      const res = await fetch(`http://localhost:${other}/`);
      expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: "the app" });
    } finally {
      web.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
