/** The bench's knobs, in one place (docs/performance.md explains each). Sizes can be overridden by BENCH_* variables. */

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/** Added by the emulator to every response (Graph and login). */
export const EMULATOR_LATENCY_MS = 50;
/** Redis `hz` during the run: BullMQ's delayed jobs are only as punctual as Redis' timer tick. */
export const REDIS_HZ = 100;

/**
 * The access level of every grant: Helpdesk Administrator + User Administrator, so 4 Graph writes per grant
 * (the account, its Temporary Access Pass, two role assignments).
 */
export const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const GRANT_ROLES = [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR];

/** 1. Request → usable credential, sequentially. */
export const LATENCY_GRANTS = int("BENCH_LATENCY_GRANTS", 30);
/** Direct Graph sequences (the floor) measured for provisioning and for expiry. */
export const FLOOR_SAMPLES = int("BENCH_FLOOR_SAMPLES", 30);

/** 2. Expiry lateness: grants whose ends fall `EXPIRY_LEAD_MS` ahead, one every `EXPIRY_SPACING_MS`. */
export const EXPIRY_GRANTS = int("BENCH_EXPIRY_GRANTS", 100);
export const EXPIRY_TENANTS = 10;
export const EXPIRY_LEAD_MS = 3_000;
export const EXPIRY_SPACING_MS = 100;

/** 3. Throughput under throttling. */
export const THROUGHPUT_GRANTS = int("BENCH_THROUGHPUT_GRANTS", 1_000);
export const THROUGHPUT_TENANTS = int("BENCH_THROUGHPUT_TENANTS", 200);
/**
 * The emulator's per app+tenant write quota, scaled down from Graph's 3,000 writes / 150 s to
 * 6 writes / 30 s = 0.2 writes/s per tenant, so 200 tenants allow 40 writes/s and the bound is reached
 * in under two minutes. The bucket holds one grant's 4 writes, as Graph's holds hundreds of grants'
 * (a bucket smaller than one grant would throttle every grant: an artefact of scaling). Every other
 * identity quota scales the same way (the tenant's 18,000 / 5 min becomes 36 / 60 s; the app+tenant
 * resource units 8,000 / 10 s become 16 / 2 s); the per-application limits across all tenants stay at
 * Graph's real values (35,000 writes / 5 min), which the run does not reach.
 */
export const THROTTLE = { enabled: true, quotaScale: 0.002, windowScale: 0.2, retryAfter: true } as const;
/**
 * Ordinary users seeded in each throughput tenant. Graph's resource-unit quota per app+tenant depends on
 * the tenant's size (Graph's identity limits: < 50 users 3,500 RU / 10 s, 50–500 5,000, > 500 8,000). Scaled like the write
 * quota, a small tenant's bucket holds 7 RU, fewer than one grant's own 8 calls, so every grant would be
 * read-throttled — an artefact of scaling (Graph's real bucket holds 3,500 RU, hundreds of grants' reads).
 * 501 users give the 8,000 RU quota, scaled to 16 RU / 2 s: one grant's reads fit, as they do in Graph.
 */
export const THROUGHPUT_TENANT_USERS = int("BENCH_THROUGHPUT_TENANT_USERS", 501);
/** Longest wait for the throughput phase before it reports what it has. */
export const THROUGHPUT_CAP_MS = int("BENCH_THROUGHPUT_CAP_MS", 210_000);

/** Targets (reported, never failed on). */
export const TARGETS = {
  /** Issuing a pass must not make a grant slower than the password-only sequence was. */
  latencyRatioP50: 1.0,
  latencyRatioToPassFloorP50: 1.2,
  expiryStartP99Ms: 200,
  expiryCompleteP99Ms: 1_000,
  throughputRatio: 0.8,
};
