import type { EmulatorControl } from "@/emulator/control/control";
import type { ConsentInput, TenantSeed } from "@/emulator/control/schemas";
import type { MisbehaviourInput } from "@/emulator/misbehaviour/settings";
import type { RequestLogEntry } from "@/emulator/state";

/**
 * The bench's side of the emulator, in the launcher process (bench/run.ts): the emulator gets its own
 * event loop (and core) instead of sharing Stint's. The Stint process drives it over Node IPC with the
 * in-process `control` operations, and counts calls with a tap on the request log, which keeps only the
 * last 10,000 entries: the tap copies new entries every 100 ms so a long phase loses nothing.
 */

type Tapped = { at: number; surface: RequestLogEntry["surface"]; method: string; status: number; tenantId?: string; durationMs: number; path: string };

export type StatsFilter = { tenantIds?: string[]; from?: number; to?: number };

export type CallStats = {
  graph: number;
  login: number;
  reads: number;
  writes: number;
  /** Writes Graph carried out (2xx): what the write quota was spent on. */
  writesAdmitted: number;
  throttled: number;
  throttledWrites: number;
  serverErrors: number;
  notFound: number;
  byRoute: Record<string, number>;
  /** The emulator's own handling time per Graph call (its configured latency not included). */
  meanHandlingMs: number;
  firstAt: number | null;
  lastAt: number | null;
};

/** A route's shape without ids: `POST /users`, `GET /users/{id}`, … */
function routeOf(method: string, path: string): string {
  const bare = path.split("?")[0]!.replace(/^\/v1\.0/, "");
  const shaped = bare
    .split("/")
    .map((s, i, all) => (i > 0 && all[i - 1] && /^(users|roleAssignments|deletedItems|temporaryAccessPassMethods)$/.test(all[i - 1]!) ? "{id}" : s))
    .join("/");
  return `${method} ${shaped}${path.includes("$filter") ? "?$filter" : ""}`;
}

export class RequestTap {
  private readonly entries: Tapped[] = [];
  private last: RequestLogEntry | undefined;
  gaps = 0;

  constructor(private readonly control: EmulatorControl) {}

  /** Copies the log entries added since the last call. */
  drain(): void {
    const log = this.control.requests();
    let start = 0;
    if (this.last) {
      const i = log.lastIndexOf(this.last);
      if (i === -1) this.gaps += 1;
      else start = i + 1;
    }
    for (let i = start; i < log.length; i++) {
      const e = log[i]!;
      if (e.surface === "control") continue;
      this.entries.push({ at: Date.parse(e.at), surface: e.surface, method: e.method, status: e.status, tenantId: e.tenantId, durationMs: e.durationMs, path: e.path });
    }
    if (log.length) this.last = log[log.length - 1];
  }

  stats(filter: StatsFilter = {}): CallStats {
    this.drain();
    const tenants = filter.tenantIds ? new Set(filter.tenantIds.map((t) => t.toLowerCase())) : undefined;
    const s: CallStats = {
      graph: 0, login: 0, reads: 0, writes: 0, writesAdmitted: 0, throttled: 0, throttledWrites: 0, serverErrors: 0, notFound: 0,
      byRoute: {}, meanHandlingMs: 0, firstAt: null, lastAt: null,
    };
    let handling = 0;
    for (const e of this.entries) {
      if (tenants && (!e.tenantId || !tenants.has(e.tenantId))) continue;
      if (filter.from !== undefined && e.at < filter.from) continue;
      if (filter.to !== undefined && e.at > filter.to) continue;
      s.firstAt = s.firstAt === null ? e.at : Math.min(s.firstAt, e.at);
      s.lastAt = s.lastAt === null ? e.at : Math.max(s.lastAt, e.at);
      if (e.surface === "login") {
        s.login += 1;
        continue;
      }
      s.graph += 1;
      handling += e.durationMs;
      const write = e.method !== "GET" && e.method !== "HEAD";
      if (write) s.writes += 1;
      else s.reads += 1;
      if (write && e.status < 300) s.writesAdmitted += 1;
      if (e.status === 429) {
        s.throttled += 1;
        if (write) s.throttledWrites += 1;
      }
      if (e.status >= 500) s.serverErrors += 1;
      if (e.status === 404) s.notFound += 1;
      const route = `${routeOf(e.method, e.path)} → ${e.status}`;
      s.byRoute[route] = (s.byRoute[route] ?? 0) + 1;
    }
    s.meanHandlingMs = s.graph ? handling / s.graph : 0;
    return s;
  }

  /** Admitted writes per whole second (relative to `from`), for a throughput curve. */
  writesPerSecond(filter: StatsFilter & { from: number; to: number }): number[] {
    this.drain();
    const tenants = filter.tenantIds ? new Set(filter.tenantIds.map((t) => t.toLowerCase())) : undefined;
    const buckets = new Array<number>(Math.max(1, Math.ceil((filter.to - filter.from) / 1000))).fill(0);
    for (const e of this.entries) {
      if (e.surface !== "graph" || e.method === "GET" || e.status >= 300) continue;
      if (tenants && (!e.tenantId || !tenants.has(e.tenantId))) continue;
      const i = Math.floor((e.at - filter.from) / 1000);
      if (i >= 0 && i < buckets.length) buckets[i]! += 1;
    }
    return buckets;
  }
}

/** The operations the Stint process may ask for. Everything crossing IPC is plain JSON. */
export function emulatorOps(control: EmulatorControl, tap: RequestTap) {
  return {
    /** Returns the new tenant's id and domains only (a seeded tenant can hold hundreds of users). */
    createTenant: (seed: TenantSeed) => {
      const tenant = control.createTenant(seed);
      return { id: tenant.id, domains: tenant.domains, userCount: tenant.users.length };
    },
    /** The tenant's users with one employeeType (Stint tags its JIT accounts "Stint JIT"), with their roles. */
    taggedUsers: (tenantId: string, employeeType: string) =>
      control
        .inspectTenant(tenantId)
        .users.filter((u) => u.properties.employeeType === employeeType)
        .map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, employeeId: u.properties.employeeId, accountEnabled: u.accountEnabled, roles: u.roles })),
    setConsent: (tenantId: string, clientId: string, input: ConsentInput) => control.setConsent(tenantId, clientId, input),
    setMisbehaviour: (tenantId: string, input: MisbehaviourInput) => control.setMisbehaviour(tenantId, input),
    inspectTenant: (tenantId: string) => control.inspectTenant(tenantId),
    stats: (filter: StatsFilter) => tap.stats(filter),
    writesPerSecond: (filter: StatsFilter & { from: number; to: number }) => tap.writesPerSecond(filter),
    tapGaps: () => tap.gaps,
  };
}
export type EmulatorOps = ReturnType<typeof emulatorOps>;

export type RpcRequest = { rpc: number; op: string; args: unknown[] };
export type RpcResponse = { rpc: number; ok: true; value: unknown } | { rpc: number; ok: false; error: string };

/** Answers one IPC request from the Stint process with one of `ops` (the bench's, or a superset of them). */
export async function answer(ops: object, request: RpcRequest): Promise<RpcResponse> {
  try {
    const op = (ops as Record<string, unknown>)[request.op] as (...args: unknown[]) => unknown;
    if (typeof op !== "function") throw new Error(`unknown emulator op ${String(request.op)}`);
    return { rpc: request.rpc, ok: true, value: await op(...request.args) };
  } catch (err) {
    return { rpc: request.rpc, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
