import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GraphRetryPolicy } from "./graph-retry";

/** A Graph that answers each request with the next of `statuses` (the last one repeats), Retry-After `retryAfter` s. */
function scriptedGraph(statuses: number[], retryAfter: string | null) {
  const seen: number[] = [];
  const next: Middleware = {
    async execute(context: Context) {
      const status = statuses[Math.min(seen.length, statuses.length - 1)]!;
      seen.push(status);
      context.response = new Response(null, { status, headers: retryAfter === null ? {} : { "retry-after": retryAfter } });
    },
    setNext() {},
  };
  const policy = new GraphRetryPolicy();
  policy.setNext(next);
  return { seen, run: (method: string) => policy.execute({ request: "https://graph/v1.0/x", options: { method } } as Context) };
}

async function settle(promise: Promise<void>): Promise<void> {
  let done = false;
  void promise.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(500);
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("GraphRetryPolicy", () => {
  it("keeps waiting out throttling past four attempts while the waits stay within the budget", async () => {
    const graph = scriptedGraph([429, 429, 429, 429, 429, 204], "2");
    await settle(graph.run("POST"));
    expect(graph.seen).toEqual([429, 429, 429, 429, 429, 204]);
  });

  it("hands persistent throttling to the caller once 15 s of waits are spent", async () => {
    const graph = scriptedGraph([429], "5");
    await settle(graph.run("PATCH"));
    // 5 + 5 + 5 s waited; a fourth wait would pass the budget.
    expect(graph.seen).toEqual([429, 429, 429, 429]);
  });

  it("does not wait out a Retry-After longer than 5 s inside the call", async () => {
    const graph = scriptedGraph([429], "30");
    await settle(graph.run("GET"));
    expect(graph.seen).toEqual([429]);
  });

  it("throttling waited out before a 503 leaves that 503 its own retries", async () => {
    const graph = scriptedGraph([429, 429, 429, 429, 503, 503, 200], "1");
    await settle(graph.run("PATCH"));
    expect(graph.seen).toEqual([429, 429, 429, 429, 503, 503, 200]);
  });

  it("retries 503 for idempotent methods only, four attempts at most", async () => {
    const get = scriptedGraph([503], "1");
    await settle(get.run("GET"));
    expect(get.seen).toEqual([503, 503, 503, 503]);
    const post = scriptedGraph([503, 201], "1");
    await settle(post.run("POST"));
    expect(post.seen).toEqual([503]);
  });
});
