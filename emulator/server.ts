import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import path from "node:path";
import type { Logger } from "pino";
import { ControlApi } from "./control/routes";
import { EmulatorControl, type RuntimeOptions } from "./control/control";
import { GraphService } from "./graph/service";
import { readCall, type Call } from "./http/call";
import { jsonReply, type Reply } from "./http/reply";
import { splitPath } from "./http/router";
import { LoginService } from "./login/routes";
import { loadSigningKey } from "./login/signing-key";
import { AzurePortal } from "./portal/portal";
import { PortalSignInCodes } from "./portal/sign-in-codes";
import { PsaService } from "./psa/service";
import { EmulatorState, type RequestLogEntry } from "./state";
import { ensureTls } from "./tls";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to loopback: 127.0.0.1, plus ::1 on the same port where available. */
  host?: string;
  /**
   * Also serves the pages a person's browser opens (sign-in, admin consent) over plain http on this loopback port
   * (0: any free one), so a browser that does not trust the emulator's CA shows them without a certificate warning.
   * Graph, tokens, the control API and the PSAs stay on https only.
   */
  browserPort?: number;
  /** Mounts the `/_emulator` control API; without it those paths are 404. */
  testControl?: boolean;
  /** Added to every response. */
  latencyMs?: number;
  /** Seeds the PRNGs behind injected faults; the same seed gives the same faults. */
  seed?: number;
  /** Where `tls/` and the token-signing key live; defaults to `<repo>/.data/emulator`. */
  stateDir?: string;
  /** `expires_in` of issued tokens; 3599 like the client-credentials doc's sample. */
  tokenLifetimeSeconds?: number;
  logger?: Logger;
}

export interface RunningEmulator {
  /** `https://localhost:PORT`: both the authority host and the Graph base URL. */
  url: string;
  /** `http://localhost:PORT` for browsers, when `browserPort` was given. */
  browserUrl?: string;
  /** The CA certificate to trust (NODE_EXTRA_CA_CERTS). */
  caCertPath: string;
  control: EmulatorControl;
  stop(): Promise<void>;
}

export const defaultStateDir = path.resolve(import.meta.dirname, "../.data/emulator");

const graphVersionSegment = /^(v\d+\.\d+|beta)$/i;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const stateDir = opts.stateDir ?? defaultStateDir;
  const [tls, signingKey] = await Promise.all([ensureTls(stateDir), loadSigningKey(stateDir)]);
  const state = new EmulatorState(opts.seed ?? 1);
  const options: RuntimeOptions = { latencyMs: opts.latencyMs ?? 0, tokenLifetimeSeconds: opts.tokenLifetimeSeconds ?? 3599 };
  const graph = new GraphService(state, signingKey);
  const portalCodes = new PortalSignInCodes();
  const login = new LoginService(state, signingKey, () => options.tokenLifetimeSeconds, portalCodes);
  const portal = new AzurePortal(state, portalCodes);
  const psa = new PsaService(state.psa);
  const control = new EmulatorControl(state, graph, options);
  const controlApi = opts.testControl ? new ControlApi(control) : undefined;

  /**
   * The portal is chosen by Host header (browser tests map portal.azure.com here), the rest by path. Graph logs its own
   * requests (it knows the tenant and app); the portal, login host, PSAs and control API are logged here.
   */
  async function dispatch(call: Call, started: number): Promise<Reply> {
    const [first = ""] = splitPath(call.url.pathname);
    const onPortal = AzurePortal.serves(call);
    if (!onPortal && graphVersionSegment.test(first)) return graph.handle(call);
    const psaSurface = onPortal ? undefined : PsaService.surfaceOf(first);
    const surface: RequestLogEntry["surface"] = onPortal ? "portal" : (psaSurface ?? (first === "_emulator" ? "control" : "login"));
    const reply =
      surface === "portal"
        ? portal.handle(call)
        : psaSurface
          ? psa.handle(psaSurface, call)
          : surface === "control"
            ? (controlApi?.handle(call) ?? jsonReply(404, { error: { code: "NotFound", message: "The control API is disabled." } }))
            : await login.handle(call);
    state.log({
      at: new Date(started).toISOString(),
      requestId: reply.headers?.["x-ms-request-id"] ?? randomUUID(),
      method: call.method,
      path: call.url.pathname + call.url.search,
      surface,
      status: reply.status,
      durationMs: Date.now() - started,
      tenantId: surface === "login" ? state.findTenant(first)?.id : undefined,
      psaInstance: psaSurface ? PsaService.instanceOf(call) : undefined,
    });
    return reply;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    let reply: Reply;
    try {
      const call = await readCall(req);
      await sleep(options.latencyMs);
      reply = await dispatch(call, started);
    } catch (error) {
      opts.logger?.error({ err: error }, "emulator request failed");
      reply = jsonReply(500, { error: { code: "InternalServerError", message: error instanceof Error ? error.message : String(error) } });
    }
    writeReply(res, reply);
    opts.logger?.debug({ method: req.method, path: req.url, status: reply.status, ms: Date.now() - started }, "emulator request");
  }

  const servers: (Server | HttpServer)[] = [];
  const listenOn = async (host: string, port: number): Promise<number> => {
    const server = createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => void onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    servers.push(server);
    const address = server.address();
    return typeof address === "object" && address ? address.port : port;
  };

  /** On the browser port only the login host's pages: what a server calls (tokens, Graph, control) needs https. */
  async function onBrowserRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [first = ""] = splitPath(new URL(req.url ?? "/", "http://localhost").pathname);
    const serverOnly = graphVersionSegment.test(first) || first === "_emulator" || PsaService.surfaceOf(first) !== undefined || /\/token\/?$/.test(req.url?.split("?")[0] ?? "");
    if (serverOnly) {
      writeReply(res, jsonReply(404, { error: { code: "NotFound", message: "Served over https only." } }));
      return;
    }
    await onRequest(req, res);
  }

  const port = await listenOn(opts.host ?? "127.0.0.1", opts.port ?? 0);
  let browserUrl: string | undefined;
  if (opts.browserPort !== undefined) {
    const browser = createHttpServer((req, res) => void onBrowserRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      browser.once("error", reject);
      browser.listen(opts.browserPort, "127.0.0.1", () => resolve());
    });
    servers.push(browser);
    const address = browser.address();
    browserUrl = `http://localhost:${typeof address === "object" && address ? address.port : opts.browserPort}`;
  }
  if (!opts.host) {
    // Where `localhost` resolves to ::1 first, clients should still reach us on the same port.
    await listenOn("::1", port).catch(() => undefined);
  }

  return {
    url: `https://localhost:${port}`,
    browserUrl,
    caCertPath: tls.caCertPath,
    control,
    async stop() {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body: string | undefined;
  if (reply.text !== undefined) {
    body = reply.text;
  } else if (reply.json !== undefined) {
    body = JSON.stringify(reply.json);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  res.writeHead(reply.status, headers);
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
