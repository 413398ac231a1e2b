/**
 * 4. Token-authenticated read: `GET /api/v1/grants?scope=all` with a personal access token (grants:read),
 * served by `next start`, against a floor measured in the same run: a bare `node:http` server in this
 * process that per request calls the same services the route calls (authenticateToken: checksum, HMAC
 * digest, the token+owner lookup, the last-used write at most every 5 min; then listMyGrants) and
 * answers the same JSON shape — the same SQL and crypto without Next.js and the v1 wrapper's extras
 * (per-principal rate limit, zod parsing of query and output).
 *
 * Load: a closed-loop client at concurrency 50 in a worker thread of this process (its own event loop,
 * so it does not share one with the floor server), keep-alive sockets, a warm-up, then a fixed window.
 * The v1 wrapper allows 600 calls per minute per token (API_RATE_LIMIT, a constant), so each of the
 * 50 clients uses its own token of the same technician.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { grantDto } from "@/lib/api/v1/mappers";
import { toErrorBody } from "@/lib/errors";
import { env } from "@/lib/env";
import { API_RATE_LIMIT } from "@/lib/http/route";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { listMyGrants } from "@/lib/services/grants/list";
import { authenticateToken } from "@/lib/services/tokens/authenticate";
import { createToken } from "@/lib/services/tokens/create";
import { contextFor, inviteMember, steppedUpContext } from "@/test/factories";
import type { BenchMsp } from "./fixtures";
import { GRANT_ROLES } from "./settings";
import { busyShare, cpuTimes, ms, num, sleep, summary, type Summary } from "./stats";

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export const TOKEN_READ = {
  concurrency: int("BENCH_TOKEN_READ_CONCURRENCY", 50),
  grants: int("BENCH_TOKEN_READ_GRANTS", 50),
  warmupMs: int("BENCH_TOKEN_READ_WARMUP_MS", 2_000),
  durationMs: int("BENCH_TOKEN_READ_DURATION_MS", 10_000),
  targetP99Ratio: 2,
};

const repo = path.resolve(import.meta.dirname, "..");
const PATH = "/api/v1/grants?scope=all";

type Load = { latency: Summary; rps: number; requests: number; ok: number; bad: Record<string, number>; seconds: number; machineBusy: number };

export type TokenReadResult = {
  concurrency: number;
  grants: number;
  tokens: number;
  warmupMs: number;
  durationMs: number;
  dbPoolMax: number;
  states: Record<string, number>;
  build: string;
  stint: Load;
  floor: Load;
};

export async function measureTokenRead(bench: BenchMsp): Promise<TokenReadResult> {
  const { technician, tokens, states } = await seed(bench);
  const floorServer = await startFloor();
  let next: { child: ChildProcess; url: string } | undefined;
  try {
    const build = await ensureBuild();
    next = await startNext(tokens[0]!);
    const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}`;
    // Both servers must answer the same body (field for field) before anything is timed.
    const [a, b] = await Promise.all([get(next.url + PATH, tokens[0]!), get(floorUrl + PATH, tokens[0]!)]);
    if (a.status !== 200 || b.status !== 200 || a.body !== b.body) {
      throw new Error(`token-read: Stint and the floor answer differently (${a.status} vs ${b.status}): ${a.body.slice(0, 300)} | ${b.body.slice(0, 300)}`);
    }
    console.log(`bench: token-read: technician ${technician}, ${tokens.length} tokens, ${TOKEN_READ.grants} grants; floor ${floorUrl}, Stint ${next.url}`);
    const floor = await load(floorUrl, tokens);
    console.log(`bench: token-read: floor p50 ${ms(floor.latency.p50)}, p99 ${ms(floor.latency.p99)}, ${num(floor.rps, 0)} req/s`);
    const stint = await load(next.url, tokens);
    console.log(`bench: token-read: Stint p50 ${ms(stint.latency.p50)}, p99 ${ms(stint.latency.p99)}, ${num(stint.rps, 0)} req/s`);
    return {
      concurrency: TOKEN_READ.concurrency,
      grants: TOKEN_READ.grants,
      tokens: tokens.length,
      warmupMs: TOKEN_READ.warmupMs,
      durationMs: TOKEN_READ.durationMs,
      dbPoolMax: env.DB_POOL_MAX,
      states,
      build,
      stint,
      floor,
    };
  } finally {
    if (next) await stopChild(next.child);
    await new Promise<void>((resolve) => floorServer.close(() => resolve()));
  }
}

/** A technician of the bench MSP with `grants` grant rows (mixed states) on 5 customers, and one token per client. */
async function seed(bench: BenchMsp) {
  const owner = contextFor(bench.msp.owner);
  const member = await inviteMember(bench.msp.owner, "technician");
  const customers: { id: string }[] = [];
  for (let i = 0; i < 5; i++) customers.push(await createCustomer(owner, { name: `Token-read customer ${i} ${newId("grant").slice(-6)}` }));
  // States the sweeper and the scheduler leave alone: active/approved in the future, the rest final.
  const cycle = ["active", "ended", "approved", "ended", "failed", "revoked", "failed", "active", "ended", "ended"] as const;
  const now = Date.now();
  const rows = Array.from({ length: TOKEN_READ.grants }, (_, i) => {
    const state = cycle[i % cycle.length]!;
    const startAt = new Date(state === "approved" ? now + 86_400_000 : now - (i + 1) * 3_600_000);
    const usable = state === "active" || state === "ended" || state === "revoked";
    return {
      id: newId("grant"),
      mspId: bench.msp.mspId,
      customerId: customers[i % customers.length]!.id,
      memberId: member.id,
      state,
      accessLevelIds: [bench.accessLevelId],
      roleTemplateIds: GRANT_ROLES,
      expiryActions: ["remove_roles", "disable"] as ("remove_roles" | "disable")[],
      durationMinutes: 60,
      justification: `Token-read bench grant ${i}`,
      ticketRef: i % 3 === 0 ? `TICKET-${i}` : null,
      startAt,
      usableFrom: usable ? startAt : null,
      endsAt: state === "active" ? new Date(now + (8 + i) * 3_600_000) : usable ? new Date(startAt.getTime() + 3_600_000) : null,
      usableTo: state === "ended" || state === "revoked" ? new Date(startAt.getTime() + 3_600_000 + 500) : null,
      endReason: state === "ended" ? ("expired" as const) : state === "revoked" ? ("revoked" as const) : null,
      failureReason: state === "failed" ? "Bench: provisioning failed" : null,
      upn: `stint-tr-${i}@bench.example`,
      displayName: `Stint JIT admin (token-read ${i})`,
      entraTenantId: "00000000-0000-4000-8000-000000000001",
    };
  });
  await systemTxBypassingRls((tx) => tx.insert(grants).values(rows));
  const states: Record<string, number> = {};
  for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
  const tokens: string[] = [];
  for (let i = 0; i < TOKEN_READ.concurrency; i++) {
    // Each token uses up its own step-up.
    tokens.push((await createToken(await steppedUpContext(member), { name: `Token-read bench ${i}`, scopes: ["grants:read"], expiresInDays: 1 })).token);
  }
  return { technician: member.id, tokens, states };
}

/** The floor: a bare node:http server calling the route's services, the JSON shape of the route's answer. */
async function startFloor(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const principal = await authenticateToken(req.headers.authorization, { ip: req.socket.remoteAddress ?? null, userAgent: req.headers["user-agent"] ?? null, url: req.url });
        const limit = 50; // the route's default page size; it asks for one more to know whether a next page exists
        const rows = await listMyGrants(principal, { scope: "all", limit: limit + 1 });
        const body = JSON.stringify({ items: rows.slice(0, limit).map((g) => grantDto(g)), nextCursor: null });
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(body);
      } catch (err) {
        const { status, body } = toErrorBody(err);
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      }
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** The same check as scripts/start.ts: the build exists and is newer than every source file. */
function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (/\.(tsx?|css)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

async function ensureBuild(): Promise<string> {
  const buildId = path.join(repo, ".next", "BUILD_ID");
  const current = existsSync(buildId) && statSync(buildId).mtimeMs >= Math.max(...["app", "components", "lib", "db"].map((d) => newestSourceMtime(path.join(repo, d))));
  if (current) return "existing .next build (current)";
  const started = Date.now();
  console.log("bench: token-read: building the web app (next build; the build is missing or older than the source) …");
  const child = spawn(path.join(repo, "node_modules", ".bin", "next"), ["build"], { cwd: repo, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`token-read: next build exited with ${code}`);
  return `built for this run (${num((Date.now() - started) / 1000, 0)} s)`;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function startNext(token: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(path.join(repo, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: repo,
    detached: true, // its own process group, so stopping it stops whatever it forks
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      STINT_PROCESS: "web",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      DB_POOL_MAX: String(env.DB_POOL_MAX),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`token-read: next start exited with ${child.exitCode}`);
    const r = await get(url + PATH, token).catch(() => null);
    if (r?.status === 200) return { child, url };
    await sleep(250);
  }
  await stopChild(child);
  throw new Error("token-read: next start did not answer within 60 s");
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
  });
}

/**
 * The load client, plain JavaScript for a worker thread: `concurrency` closed loops, each with its own
 * token and keep-alive socket. Latencies of requests started inside the measured window are kept;
 * every response must be a 200 with `expected` items.
 */
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, tokens, warmupMs, durationMs, expected } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: tokens.length, maxFreeSockets: tokens.length });
const start = performance.now();
const measureFrom = start + warmupMs;
const stopAt = measureFrom + durationMs;
const latencies = [];
const bad = {};
let ok = 0;
const one = (token) => new Promise((resolve) => {
  const t0 = performance.now();
  const req = http.get(url, { agent, headers: { authorization: "Bearer " + token } }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => {
      const t1 = performance.now();
      let good = res.statusCode === 200;
      if (good) {
        try { good = JSON.parse(Buffer.concat(chunks).toString("utf8")).items.length === expected; } catch { good = false; }
      }
      if (t0 >= measureFrom && t0 < stopAt) {
        latencies.push(t1 - t0);
        if (good) ok++;
        else { const k = res.statusCode === 200 ? "200 wrong body" : String(res.statusCode); bad[k] = (bad[k] || 0) + 1; }
      } else if (!good) {
        const k = "warm-up " + res.statusCode;
        bad[k] = (bad[k] || 0) + 1;
      }
      resolve();
    });
  });
  req.on("error", (err) => { const k = "error " + err.code; bad[k] = (bad[k] || 0) + 1; resolve(); });
});
const loop = async (token) => { while (performance.now() < stopAt) await one(token); };
Promise.all(tokens.map(loop)).then(() => {
  agent.destroy();
  parentPort.postMessage({ latencies, ok, bad });
});
`;

async function load(baseUrl: string, tokens: string[]): Promise<Load> {
  const before = cpuTimes();
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: { url: baseUrl + PATH, tokens, warmupMs: TOKEN_READ.warmupMs, durationMs: TOKEN_READ.durationMs, expected: TOKEN_READ.grants },
  });
  const out = await new Promise<{ latencies: number[]; ok: number; bad: Record<string, number> }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const after = cpuTimes();
  await worker.terminate();
  const machineBusy = busyShare(before, after);
  const seconds = TOKEN_READ.durationMs / 1000;
  return { latency: summary(out.latencies), rps: out.latencies.length / seconds, requests: out.latencies.length, ok: out.ok, bad: out.bad, seconds, machineBusy };
}

// ---- report -------------------------------------------------------------------------------------------

const yes = (ok: boolean) => (ok ? "yes" : "**no**");

export function tokenReadTable(t: TokenReadResult): string[][] {
  const ratio = t.stint.latency.p99 / t.floor.latency.p99;
  return [
    ["Measurement", "Stint (next start)", "Floor (bare node:http)", "Ratio", "Target", "Met"],
    [`Latency p50 (concurrency ${t.concurrency})`, ms(t.stint.latency.p50), ms(t.floor.latency.p50), `${num(t.stint.latency.p50 / t.floor.latency.p50)}×`, "—", "—"],
    [`Latency p99`, ms(t.stint.latency.p99), ms(t.floor.latency.p99), `${num(ratio)}×`, `≤ ${TOKEN_READ.targetP99Ratio}× floor`, yes(ratio <= TOKEN_READ.targetP99Ratio && allOk(t))],
    ["Requests/s", num(t.stint.rps, 0), num(t.floor.rps, 0), `${num(t.stint.rps / t.floor.rps)}×`, "—", "—"],
    ["Responses 200 with every grant", `${t.stint.ok}/${t.stint.requests}`, `${t.floor.ok}/${t.floor.requests}`, "—", "all", yes(allOk(t))],
  ];
}

const allOk = (t: TokenReadResult) => t.stint.ok === t.stint.requests && t.floor.ok === t.floor.requests && !Object.keys(t.stint.bad).length && !Object.keys(t.floor.bad).length;

export function tokenReadDetails(t: TokenReadResult): string[] {
  const line = (name: string, l: Load) =>
    `${name}: ${l.requests} requests in ${num(l.seconds, 0)} s, p50 ${num(l.latency.p50, 1)} ms, p90 ${num(l.latency.p90, 1)} ms, p99 ${num(l.latency.p99, 1)} ms, max ${num(l.latency.max, 1)} ms, mean ${num(l.latency.mean, 1)} ms; machine CPU busy ${num(l.machineBusy * 100, 0)} % (all processes, both cores, warm-up included)` +
    (Object.keys(l.bad).length ? `; not OK: ${JSON.stringify(l.bad)}` : "");
  return [
    `\`GET ${PATH}\` with \`Authorization: Bearer <personal token, grants:read>\`; ${t.grants} grants of one technician (${Object.entries(t.states)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ")}), every response checked for status 200 and ${t.grants} items. ` +
      `Closed loop, ${t.concurrency} clients, ${num(t.warmupMs / 1000, 0)} s warm-up then ${num(t.durationMs / 1000, 0)} s measured, against the floor first, then Stint. ` +
      `${t.tokens} tokens of the same technician, one per client: the v1 wrapper allows ${API_RATE_LIMIT.points} calls per ${API_RATE_LIMIT.durationSeconds} s per token (\`API_RATE_LIMIT\`, a constant in lib/http/route.ts). ` +
      `DB pool ${t.dbPoolMax} in both servers. Build: ${t.build}.`,
    `${line("Stint", t.stint)}. ${line("Floor", t.floor)}.`,
  ];
}
