/**
 * Records when this process's HTTP calls (Graph and the token endpoint: the Graph client and MSAL both
 * use the global fetch) are in flight, so the latency phase can split a grant's time into "waiting for
 * Graph" and "Stint's own work". Wraps globalThis.fetch; changes nothing about the calls.
 */

type Interval = { start: number; end: number; url: string; method: string; status?: number; retryAfterMs?: number };

const intervals: Interval[] = [];
let installed = false;

export function installFetchTrace(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const start = Date.now();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (typeof input === "object" && "method" in input ? input.method : "GET");
    let status: number | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await original(input, init);
      status = response.status;
      const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
      if (status === 429 && Number.isFinite(retryAfter)) retryAfterMs = retryAfter * 1000;
      // The body is read by the caller; the response headers arriving is close enough at 50 ms per call.
      return response;
    } finally {
      intervals.push({ start, end: Date.now(), url, method, status, retryAfterMs });
      if (intervals.length > 50_000) intervals.splice(0, 10_000);
    }
  };
}

/** Wall time within [from, to] during which at least one call was in flight, and how many calls started. */
export function inFlight(from: number, to: number): { ms: number; calls: number } {
  const within = intervals
    .filter((i) => i.end > from && i.start < to)
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -1;
  let curEnd = -1;
  for (const i of within) {
    if (i.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = i.start;
      curEnd = i.end;
    } else curEnd = Math.max(curEnd, i.end);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return { ms: total, calls: within.length };
}

/** The idle stretches within [from, to] when no call was in flight, in order (leading and trailing included). */
export function idleGaps(from: number, to: number): number[] {
  const within = intervals
    .filter((i) => i.end > from && i.start < to)
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .sort((a, b) => a.start - b.start);
  const gaps: number[] = [];
  let cursor = from;
  for (const i of within) {
    if (i.start > cursor) {
      gaps.push(i.start - cursor);
      cursor = i.end;
    } else if (gaps.length === 0 && cursor === from) {
      gaps.push(0);
      cursor = Math.max(cursor, i.end);
    } else cursor = Math.max(cursor, i.end);
  }
  gaps.push(Math.max(0, to - cursor));
  return gaps;
}

/** 429 answers received within [from, to] and the Retry-After they asked for in all (Stint waits ≤ 30 s ones out in-job). */
export function throttleWaits(from: number, to: number): { count: number; totalMs: number } {
  let count = 0;
  let totalMs = 0;
  for (const i of intervals) {
    if (i.status !== 429 || i.end < from || i.end > to) continue;
    count += 1;
    totalMs += i.retryAfterMs !== undefined && i.retryAfterMs <= 30_000 ? i.retryAfterMs : 0;
  }
  return { count, totalMs };
}
