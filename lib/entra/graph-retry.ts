import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { parseRetryAfter } from "./errors";

/** Attempts of a call that failed (5xx, network) before the error goes to the caller. */
const MAX_ATTEMPTS = 4;
/**
 * A Retry-After longer than this is not waited out inside the call: the error goes to the caller, whose
 * job then fails its attempt and waits in BullMQ's delayed set, freeing its worker slot for other tenants.
 */
const MAX_WAIT_MS = 5_000;
/**
 * How long one call waits out short throttling in all. A throttled request was not carried out, and its job's
 * retry would wait as long and then repeat every step before it, so the call keeps its place instead.
 */
const THROTTLED_WAIT_BUDGET_MS = 15_000;
const idempotent = new Set(["GET", "HEAD", "PUT", "DELETE", "PATCH"]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function backoffMs(attempt: number): number {
  return Math.min(8_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/**
 * Graph's retry policy for Stint. 429 is retried for every method (a throttled request was not carried
 * out), honouring Retry-After, for up to THROTTLED_WAIT_BUDGET_MS of waiting in all. 503/504 and network
 * failures are retried only for idempotent methods: a POST that may have been applied is never replayed
 * blind; its caller re-reads before trying again.
 * Replaces the Graph client's default RetryHandler, which would retry POSTs too.
 */
export class GraphRetryPolicy implements Middleware {
  private next?: Middleware;

  /** `beforeWrite` runs before every attempt of a write (the tenant's pacing). */
  constructor(private readonly beforeWrite?: () => Promise<void>) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const method = (context.options?.method ?? "GET").toUpperCase();
    // Failures and throttling are counted apart: waiting out a 429 does not use up the retries of a 503.
    let failures = 0;
    let throttles = 0;
    let throttledWaitMs = 0;
    for (;;) {
      let failure: unknown;
      if (this.beforeWrite && method !== "GET" && method !== "HEAD") await this.beforeWrite();
      try {
        await this.next!.execute(context);
      } catch (err) {
        failure = err;
      }
      if (failure !== undefined) {
        if (++failures >= MAX_ATTEMPTS || !idempotent.has(method)) throw failure;
        await sleep(backoffMs(failures - 1));
        continue;
      }
      const status = context.response?.status ?? 0;
      const throttled = status === 429;
      const unavailable = (status === 503 || status === 504) && idempotent.has(method);
      if (!throttled && (!unavailable || ++failures >= MAX_ATTEMPTS)) return;
      const wait = parseRetryAfter(context.response!.headers.get("retry-after")) ?? backoffMs(throttled ? throttles++ : failures - 1);
      if (wait > MAX_WAIT_MS) return;
      if (throttled && (throttledWaitMs += wait) > THROTTLED_WAIT_BUDGET_MS) return;
      await sleep(wait);
    }
  }
}
