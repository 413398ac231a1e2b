import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

export const STARTING_MESSAGE = "Stint is starting — building the web app for its first start (about a minute or two). This page reloads itself.";
const RETRY_AFTER_SECONDS = 5;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>Stint is starting</title>
<style>
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 15vh auto; padding: 0 1.5rem; }
</style>
</head>
<body>
<main>
<h1>Stint is starting</h1>
<p role="status">Building the web app for its first start (about a minute or two). This page reloads itself.</p>
</main>
</body>
</html>
`;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const isApi = (req.url ?? "/").startsWith("/api/");
  const body = isApi ? JSON.stringify({ error: { code: "starting", message: STARTING_MESSAGE } }) : page;
  res.writeHead(503, {
    "Content-Type": isApi ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
    "Retry-After": String(RETRY_AFTER_SECONDS),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * While `npm start` builds the web app, someone who opens the address sees that Stint is starting
 * (503 with Retry-After; a page that reloads itself, or the API's error envelope) rather than a refused
 * connection. `close()` frees the port for the real web server.
 */
export async function startHoldingPage(port: number): Promise<{ close: () => Promise<void> }> {
  const server = createServer(answer);
  server.listen(port);
  try {
    await once(server, "listening");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    throw new Error(`Port ${port} is in use by another program, so Stint cannot serve there. Stop that program, or set APP_URL to another port.`);
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections open; the web server needs the port now, not when they time out.
        server.closeAllConnections();
      }),
  };
}

const TAKE_PORT = "stint:take-port";
const PORT_FREE = "stint:port-free";

/**
 * `npm start`'s side: when the web server is ready to listen, close the holding page and tell it the
 * port is free, so the port answers all along.
 */
export function handPortOver(web: ChildProcess, holding: { close: () => Promise<void> }): void {
  web.on("message", (msg) => {
    if (msg === TAKE_PORT) void holding.close().then(() => web.connected && web.send(PORT_FREE));
  });
}

/** The web server's side (started by `npm start` with an IPC channel): waits until the holding page has gone. */
export function takePortFromHoldingPage(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (msg: unknown) => {
      if (msg !== PORT_FREE) return;
      process.off("message", onMessage);
      process.disconnect?.();
      resolve();
    };
    process.on("message", onMessage);
    process.send?.(TAKE_PORT);
  });
}
