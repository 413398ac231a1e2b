import type { ThrottleSettings } from "./settings";

/** What one Graph request costs (https://learn.microsoft.com/graph/throttling-limits, identity and access). */
export interface RequestCost {
  resourceUnits: number;
  writes: number;
}

export interface ThrottleLimit {
  /** Reported in `x-ms-throttle-scope`. */
  scope: string;
  kind: "writes" | "resourceUnits";
  quota: number;
  windowMs: number;
}

/** A decision that has not spent anything yet: a request crossing several stores commits only if all admit it. */
export type ThrottleCheck =
  | { admitted: true; commit(): Record<string, string> }
  | { admitted: false; limit: ThrottleLimit; retryAfterMs: number };

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  resize(capacity: number): void {
    if (capacity === this.capacity) return;
    this.tokens = Math.min(capacity, this.tokens + (capacity - this.capacity));
    this.capacity = capacity;
  }

  /** Milliseconds until `amount` tokens are available; 0 when they are now. */
  waitFor(amount: number, now: number): number {
    this.refill(now);
    const needed = Math.min(amount, this.capacity);
    if (this.tokens >= needed) return 0;
    return Math.ceil(((needed - this.tokens) * this.windowMs) / this.capacity);
  }

  take(amount: number): void {
    this.tokens -= Math.min(amount, this.capacity);
  }

  usedFraction(): number {
    return 1 - this.tokens / this.capacity;
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    this.updatedAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / this.windowMs);
  }
}

/** Token buckets for a set of scopes; a request is admitted only when every bucket it touches has room. */
export class ThrottleBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  check(limits: ThrottleLimit[], cost: RequestCost, now = Date.now()): ThrottleCheck {
    const touched: { bucket: TokenBucket; amount: number }[] = [];
    for (const limit of limits) {
      const amount = limit.kind === "writes" ? cost.writes : cost.resourceUnits;
      if (amount === 0) continue;
      const bucket = this.bucketFor(limit, now);
      const retryAfterMs = bucket.waitFor(amount, now);
      if (retryAfterMs > 0) return { admitted: false, limit, retryAfterMs };
      touched.push({ bucket, amount });
    }
    return {
      admitted: true,
      commit: (): Record<string, string> => {
        for (const { bucket, amount } of touched) bucket.take(amount);
        const used = Math.max(0, ...touched.map((t) => t.bucket.usedFraction()));
        // Graph sends the header only once a bucket is more than 80 % used.
        return used > 0.8 ? { "x-ms-throttle-limit-percentage": used.toFixed(1) } : {};
      },
    };
  }

  clear(): void {
    this.buckets.clear();
  }

  private bucketFor(limit: ThrottleLimit, now: number): TokenBucket {
    const key = `${limit.kind}:${limit.scope}:${limit.windowMs}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit.quota, limit.windowMs, now);
      this.buckets.set(key, bucket);
    }
    bucket.resize(limit.quota);
    return bucket;
  }
}

function scaled(settings: ThrottleSettings, quota: number, windowMs: number): { quota: number; windowMs: number } {
  return {
    quota: Math.max(1, Math.round(quota * settings.quotaScale)),
    windowMs: Math.max(1, Math.round(windowMs * settings.windowScale)),
  };
}

/** The identity and access application+tenant quotas depend on the tenant's size. */
function resourceUnitQuota(userCount: number): number {
  if (userCount < 50) return 3_500;
  if (userCount <= 500) return 5_000;
  return 8_000;
}

export function tenantLimits(
  settings: ThrottleSettings,
  appId: string,
  tenantId: string,
  userCount: number,
): ThrottleLimit[] {
  const pair = `${appId}/${tenantId}`;
  return [
    { scope: `Tenant_Application/ReadWrite/${pair}`, kind: "writes", ...scaled(settings, 3_000, 150_000) },
    { scope: `Tenant_Application/ResourceUnit/${pair}`, kind: "resourceUnits", ...scaled(settings, resourceUnitQuota(userCount), 10_000) },
    { scope: `Tenant/ReadWrite/${tenantId}`, kind: "writes", ...scaled(settings, 18_000, 300_000) },
  ];
}

/** The per-application limits across all tenants: these decide how far one multi-tenant app scales. */
export function applicationLimits(settings: ThrottleSettings, appId: string): ThrottleLimit[] {
  return [
    { scope: `Application/ReadWrite/${appId}`, kind: "writes", ...scaled(settings, 35_000, 300_000) },
    { scope: `Application/ResourceUnit/${appId}`, kind: "resourceUnits", ...scaled(settings, 150_000, 20_000) },
  ];
}

/** GET users costs 2, other GETs 1; writes cost 1 RU and 1 write; $select −1, $expand +1, $top < 20 −1; minimum 1. */
export function requestCost(method: string, path: string, query: URLSearchParams): RequestCost {
  const isWrite = method !== "GET";
  let units = !isWrite && /^\/users\/?$/i.test(path) ? 2 : 1;
  if (!isWrite) {
    if (query.has("$select")) units -= 1;
    if (query.has("$expand")) units += 1;
    const top = Number(query.get("$top"));
    if (query.has("$top") && top < 20) units -= 1;
  }
  return { resourceUnits: Math.max(1, units), writes: isWrite ? 1 : 0 };
}
