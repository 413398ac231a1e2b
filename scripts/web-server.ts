import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";
import { takePortFromHoldingPage } from "./lib/holding-page";

/**
 * The web app's server: `next start`, plus what only the socket knows. Route handlers cannot see the
 * connection, so this server determines the client's address (the peer, or what TRUSTED_PROXIES vouch
 * for) and hands it on in a header of its own, sets the headers every response carries, and refuses
 * with the error envelope what Next would answer with a bare 500 (lib/http/request-line.ts). Usage:
 * `tsx scripts/web-server.ts -p 3000 [-H 127.0.0.1]` after `next build`. SIGTERM and SIGINT stop
 * accepting connections, let running requests finish, then exit, as `next start` does.
 */
const { values } = parseArgs({ options: { port: { type: "string", short: "p", default: "3000" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port);
const GRACE_MS = 10_000;

// As `next start`: production unless told otherwise, set before anything reads the configuration.
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), port, hostname: values.hostname });
const handle = app.getRequestHandler();
await app.prepare();
// After prepare: Next has loaded .env files into the environment by now.
const { env } = await import("@/lib/env");
const { assertDatabaseRole } = await import("@/db/client");
try {
  await assertDatabaseRole();
} catch (err) {
  console.error(`[stint web] ${(err as Error).message}`);
  process.exit(1);
}
const { stampClientAddress } = await import("@/lib/http/client-address");
const { answerUnparsable, refuseRequestLine } = await import("@/lib/http/request-line");
const { applySecurityHeaders } = await import("@/lib/http/security-headers");

const server = createServer((req, res) => {
  applySecurityHeaders(res);
  if (refuseRequestLine(req.method, req.url, res)) return;
  stampClientAddress(req, env.TRUSTED_PROXIES);
  void handle(req, res);
});
server.on("clientError", answerUnparsable);
// Under `npm start` after a build, its holding page still answers on the port: it goes only now.
if (process.env.STINT_HOLDING_PAGE === "1" && process.send) await takePortFromHoldingPage();
server.listen(port, values.hostname, () => console.log(`[stint web] listening on ${values.hostname ?? "*"}:${port}`));

let stopping = false;
function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => server.closeAllConnections(), GRACE_MS).unref();
  server.close(() => void app.close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143)));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
