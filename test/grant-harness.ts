import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues } from "@/lib/queue/producer";
import { seedMspDirectly, superuserSql, type TestMsp } from "./factories";
import type postgres from "postgres";
import { and, asc, eq } from "drizzle-orm";
import { grantSteps, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import type { UserSnapshot } from "@/emulator/control/control";
import type { UserSeed } from "@/emulator/control/schemas";
import { env } from "@/lib/env";
import { randomBase62 } from "@/lib/ids";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { inspectTenant, requestLog, setMisbehaviour } from "./entra";
import { startWorker, type WorkerProcess } from "./worker-process";

/**
 * Helpers for the grant lifecycle suites: a Redis queue prefix of their own (so no running Stint worker on
 * this machine ever sees their jobs), reads of the grant row, its timeline and audit trail, the JIT accounts
 * in the emulated tenant, and a way to make one particular Graph call fail the way Microsoft's would.
 */

/** Points this process's producer (lib/queue/producer.ts) and write pacing at a prefix of its own. */
export function useTestQueuePrefix(label: string): string {
  const prefix = `stint_test_${label}_${randomBase62(8)}`;
  env.QUEUE_PREFIX = prefix;
  return prefix;
}

function redisClient(): Redis {
  return new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
}

async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

/** Deletes every key under `prefix:` and nothing else (others share Redis db 0). Returns how many. */
export async function deleteQueueKeys(prefix: string): Promise<number> {
  const redis = redisClient();
  try {
    const keys = await keysWithPrefix(redis, prefix);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

/** Every value stored under `prefix:` (job data, options, results, events), as text, for canary searches. */
export async function redisTextUnder(prefix: string): Promise<string> {
  const redis = redisClient();
  try {
    const parts: string[] = [];
    for (const key of await keysWithPrefix(redis, prefix)) {
      const type = await redis.type(key);
      if (type === "string") parts.push(key, String(await redis.get(key)));
      else if (type === "hash") parts.push(key, JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") parts.push(key, JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") parts.push(key, JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") parts.push(key, JSON.stringify(await redis.zrange(key, "0", "-1", "WITHSCORES")));
      else if (type === "stream") parts.push(key, JSON.stringify(await redis.xrange(key, "-", "+")));
      else parts.push(key, `<${type}>`);
    }
    return parts.join("\n");
  } finally {
    redis.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, options: { timeoutMs?: number; everyMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.everyMs ?? 100);
  }
}

export function readGrant(mspId: string, grantId: string): Promise<Grant> {
  return withMspTx(mspId, (tx) => getGrantInMsp(tx, mspId, grantId));
}

export function stepsOf(mspId: string, grantId: string) {
  return withMspTx(mspId, (tx) =>
    tx.select().from(grantSteps).where(and(eq(grantSteps.grantId, grantId), eq(grantSteps.mspId, mspId))).orderBy(asc(grantSteps.startedAt)),
  );
}

export type AuditRow = {
  seq: number;
  action: string;
  result: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  metadata: Record<string, unknown>;
};

/** The MSP's audit events (oldest first), read as the superuser so nothing is hidden. */
export async function auditOf(sql: postgres.Sql, mspId: string, filter: { action?: string; targetId?: string } = {}): Promise<AuditRow[]> {
  const rows = await sql<AuditRow[]>`
    select seq::int as seq, action, result, actor_type, actor_id, target_type, target_id, reason, metadata
    from audit_events
    where msp_id = ${mspId}
      ${filter.action ? sql`and action = ${filter.action}` : sql``}
      ${filter.targetId ? sql`and target_id = ${filter.targetId}` : sql``}
    order by seq`;
  return rows;
}

/** The tenant's accounts that belong to this grant: its UPN, or tagged with its id (live and soft-deleted). */
export async function accountsOfGrant(tenantId: string, grant: Pick<Grant, "id" | "upn">) {
  const tenant = await inspectTenant(tenantId);
  const mine = (u: UserSnapshot) => u.userPrincipalName.toLowerCase() === grant.upn.toLowerCase() || u.properties.employeeId === grant.id;
  return { tenant, users: tenant.users.filter(mine), deletedUsers: tenant.deletedUsers.filter(mine) };
}

/** This tenant's Graph requests (not login, not control), optionally only those after `since`. */
export async function graphRequests(tenantId: string, since?: Date) {
  const log = await requestLog({ tenantId, surface: "graph" });
  return since ? log.filter((r) => Date.parse(r.at) >= since.getTime()) : log;
}

type Intercepted = { method: string; url: URL; body: string | undefined };

/**
 * What happens to a matching Graph call:
 * - `fail`: the emulator itself fails it (a 503 fault armed on the tenant just before the call reaches it),
 *   so Entra never carries it out. Arming goes through setMisbehaviour, which restarts the tenant's
 *   throttle buckets and replication-lag state: do not combine it with those knobs;
 * - `lose-response`: the emulator carries it out, but its answer never reaches Stint (a dropped connection),
 *   the ambiguous case: a write that may have been applied.
 */
export type GraphRule = { tenantId: string; match: (call: Intercepted) => boolean; action: "fail" | "lose-response"; times?: number };

/**
 * Wraps the global fetch (which the Graph client calls for every request) to apply `rules`, serialising
 * the matching calls so that an armed fault hits exactly the call it was armed for: while a fault is armed,
 * other Graph calls wait, and it is armed only once the calls already in flight have been answered.
 * Returns the undo.
 */
export function interceptGraph(rules: GraphRule[]): { restore: () => void; hits: () => number } {
  const original = globalThis.fetch;
  const remaining = new Map(rules.map((r) => [r, r.times ?? 1]));
  let hits = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let armed: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();
  const intercepted: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const body = typeof init?.body === "string" ? init.body : undefined;
    const graphCall = url.pathname.startsWith("/v1.0/");
    const rule = graphCall ? rules.find((r) => (remaining.get(r) ?? 0) > 0 && r.match({ method, url, body })) : undefined;
    if (!rule) {
      if (!graphCall) return original(input, init);
      await armed;
      const call = original(input, init);
      inFlight.add(call);
      return call.finally(() => inFlight.delete(call));
    }
    remaining.set(rule, (remaining.get(rule) ?? 1) - 1);
    hits += 1;
    const run = async () => {
      if (rule.action === "fail") {
        await Promise.allSettled([...inFlight]);
        await setMisbehaviour(rule.tenantId, { faults: { next: 1, status: 503 } });
        try {
          return await original(input, init);
        } finally {
          await setMisbehaviour(rule.tenantId, { faults: null });
        }
      }
      const response = await original(input, init);
      await response.arrayBuffer();
      throw new TypeError("fetch failed", { cause: new Error("socket hang up (test: the answer was lost)") });
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    if (rule.action === "fail") armed = queue;
    return result;
  };
  globalThis.fetch = intercepted;
  return {
    restore: () => {
      globalThis.fetch = original;
    },
    hits: () => hits,
  };
}

/** `POST /users` in any tenant. */
export const isCreateUser = ({ method, url }: Intercepted) => method === "POST" && /^\/v1\.0\/users\/?$/.test(url.pathname);
/** `POST /roleManagement/directory/roleAssignments` for one role. */
export const isAssignRole =
  (roleTemplateId: string) =>
  ({ method, url, body }: Intercepted) =>
    method === "POST" && url.pathname === "/v1.0/roleManagement/directory/roleAssignments" && (body ?? "").includes(roleTemplateId);

/** Adds an account to an emulated tenant through the control API, as if it had long existed there. */
export async function addTenantUser(tenantId: string, seed: UserSeed): Promise<UserSnapshot> {
  const base = process.env.EMULATOR_CONTROL_URL;
  if (!base) throw new Error("EMULATOR_CONTROL_URL is not set: run through the integration project.");
  const response = await fetch(`${base}/tenants/${tenantId}/users`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(seed) });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control POST users → ${response.status}: ${text}`);
  return JSON.parse(text) as UserSnapshot;
}

/** Assigns a directory role to an existing account through the control API. */
export async function assignTenantRole(tenantId: string, user: string, role: string): Promise<void> {
  const base = process.env.EMULATOR_CONTROL_URL;
  const response = await fetch(`${base}/tenants/${tenantId}/users/${encodeURIComponent(user)}/roles`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role }) });
  if (!response.ok) throw new Error(`emulator control POST roles → ${response.status}: ${await response.text()}`);
}

/**
 * The shared state of a grants test file, set up and torn down by vitest's hooks: one MSP, a superuser
 * connection, a queue prefix of its own, and `undo` (a Graph interception), undone after each test.
 */
export function grantSuite(label: string, mspName: string) {
  const suite = { msp: undefined as unknown as TestMsp, sql: undefined as unknown as postgres.Sql, undo: undefined as (() => void) | undefined };
  const prefix = useTestQueuePrefix(label);
  beforeAll(async () => {
    suite.msp = await seedMspDirectly({ mspName });
    suite.sql = superuserSql();
  });
  afterEach(() => {
    suite.undo?.();
    suite.undo = undefined;
  });
  afterAll(async () => {
    await closeQueues();
    await deleteQueueKeys(prefix);
    await suite.sql.end();
    await closeDb();
  });
  return suite;
}

/**
 * Starts real worker processes (jobs/worker.ts) on the suite's queue prefix, crashed after each test; a failed
 * test prints their output.
 */
export function workersPerTest(overrides: Record<string, string> = {}): () => WorkerProcess {
  const started: WorkerProcess[] = [];
  afterEach(async (context) => {
    for (const w of started.splice(0)) {
      if (context.task.result?.state === "fail") console.error(`worker ${w.pid} output:\n${w.output().slice(-4000)}`);
      await w.crash();
    }
  });
  return () => {
    const worker = startWorker(env.QUEUE_PREFIX, overrides);
    started.push(worker);
    return worker;
  };
}

