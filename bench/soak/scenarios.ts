import type { MisbehaviourInput } from "@/emulator/misbehaviour/settings";
import { FORCED_FAILURES_PER_KIND, GRANTS_PER_TENANT, TARGETS, TENANTS } from "./settings";

/**
 * The fault matrix: what each scenario does to Graph, the workers, Redis or the customer's consent.
 * docs/reliability.md describes them in words; keep the two in step.
 */

export const scenarioNames = ["calm", "storm", "kills", "redis-loss", "create-504", "consent"] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/**
 * What a tenant's grants are for: ordinary grants, or grants made to fail provisioning so that the clean-up
 * can be judged: `pass-refused` (the tenant's pass policy is off: Graph refuses the pass, for good, right
 * after the account is created) and `final-attempt` (the job gets a single attempt, and every role
 * assignment is carried out but answered 504, then stays out of lists for seconds).
 */
export type TenantKind = "normal" | "pass-refused" | "final-attempt";

export type TenantPlan = { label: string; kind: TenantKind; grants: number; misbehaviour: MisbehaviourInput };

export type Scenario = {
  name: ScenarioName;
  title: string;
  tenants: TenantPlan[];
  /** The end → verified p99 this scenario is held to. */
  endToVerifiedTargetMs: number;
  disturbance: "none" | "kills" | "redis-loss" | "consent";
};

/** Entra's eventual consistency: new users and new role assignments stay out of reads for a while. */
const lag = {
  replicationLag: { ms: 1_000, minMs: 200 },
  assignmentReplicationLag: { ms: 2_000, minMs: 200 },
} satisfies MisbehaviourInput;
/** Longer, and deleted assignments still listed for a while too. */
const stormLag = {
  replicationLag: { ms: 2_000, minMs: 500 },
  assignmentReplicationLag: { ms: 3_000, minMs: 500, removals: true },
} satisfies MisbehaviourInput;

/**
 * Graph's identity throttling scaled down (the documented limits × quotaScale, windows × windowScale) so a
 * tenant's own grants meet 429s with Retry-After: a bucket of 6 writes refilled in 1 s, about twice what a
 * tenant's grants need on average, so a burst is throttled while the work as a whole fits.
 */
const throttle = { enabled: true, quotaScale: 0.002, windowScale: 1 / 150, retryAfter: true };

const ROLE_ASSIGNMENT_POST = "^POST /roleManagement/directory/roleAssignments$";

function tenants(count: number, label: string, misbehaviour: (i: number) => MisbehaviourInput): TenantPlan[] {
  return Array.from({ length: count }, (_, i) => ({ label: `${label}-${i}`, kind: "normal" as const, grants: GRANTS_PER_TENANT, misbehaviour: misbehaviour(i) }));
}

/** Two tenants whose grants fail provisioning on purpose, under the same Graph as the scenario's others. */
function doomed(base: MisbehaviourInput): TenantPlan[] {
  return [
    { label: "pass-refused", kind: "pass-refused", grants: FORCED_FAILURES_PER_KIND, misbehaviour: base },
    {
      label: "final-attempt",
      kind: "final-attempt",
      grants: FORCED_FAILURES_PER_KIND,
      misbehaviour: { ...base, lostCreates: { match: ROLE_ASSIGNMENT_POST }, assignmentReplicationLag: { ms: 8_000 } },
    },
  ];
}

/**
 * Every storm tenant lags and is throttled; pairs of them add one kind of failure each. In each pair the second
 * judges the privileged-user rule on lagged removals (a removed role protects its user until the removal has
 * replicated), since Microsoft documents neither way.
 */
function stormTenant(i: number): MisbehaviourInput {
  const guarded = { ...stormLag.assignmentReplicationLag, removalsGuardPrivileged: i % 2 === 1 };
  const base = { ...stormLag, assignmentReplicationLag: guarded, throttle };
  switch (Math.floor(i / 2)) {
    case 0:
      return { ...base, faults: { rate: 0.1, status: 503, retryAfterSeconds: 1 } };
    case 1:
      return { ...base, faults: { rate: 0.2, status: 429, retryAfterSeconds: 2 } };
    case 2:
      return { ...base, faults: { rate: 0.15, status: 504, afterHandler: true, match: "^(POST|PATCH|DELETE) " } };
    case 3:
      return { ...base, lostCreates: {} };
    default:
      return base;
  }
}

export const scenarios: Record<ScenarioName, Scenario> = {
  calm: {
    name: "calm",
    title: "(a) calm baseline",
    tenants: tenants(TENANTS, "calm", () => ({})),
    endToVerifiedTargetMs: TARGETS.calmEndToVerifiedP99Ms,
    disturbance: "none",
  },
  storm: {
    name: "storm",
    title: "(b) Graph storm",
    tenants: [...tenants(TENANTS, "storm", stormTenant), ...doomed({ ...stormLag, throttle })],
    endToVerifiedTargetMs: TARGETS.stormEndToVerifiedP99Ms,
    disturbance: "none",
  },
  kills: {
    name: "kills",
    title: "(c) a worker SIGKILLed every few seconds",
    tenants: [...tenants(TENANTS, "kills", () => lag), ...doomed(lag)],
    endToVerifiedTargetMs: TARGETS.faultEndToVerifiedP99Ms,
    disturbance: "kills",
  },
  "redis-loss": {
    name: "redis-loss",
    title: "(d) the queue's Redis keys deleted mid-expiry",
    // Slower expiries, some of whose attempts fail and wait in BullMQ's delayed set, so keys are lost mid-expiry.
    tenants: tenants(TENANTS, "redis", () => ({ ...lag, latencyMs: 100, faults: { rate: 0.3, status: 503, match: "^POST /users/[^/]+/revokeSignInSessions$" } })),
    endToVerifiedTargetMs: TARGETS.faultEndToVerifiedP99Ms,
    disturbance: "redis-loss",
  },
  "create-504": {
    name: "create-504",
    title: "(e) every first create answered 504",
    // Users, role assignments and passes: each is carried out and its first answer lost.
    tenants: tenants(TENANTS, "create504", () => ({ ...lag, lostCreates: {} })),
    endToVerifiedTargetMs: TARGETS.faultEndToVerifiedP99Ms,
    disturbance: "none",
  },
  consent: {
    name: "consent",
    title: "(f) consent revoked on one tenant, restored later",
    tenants: tenants(TENANTS, "consent", () => lag),
    endToVerifiedTargetMs: TARGETS.faultEndToVerifiedP99Ms,
    disturbance: "consent",
  },
};
