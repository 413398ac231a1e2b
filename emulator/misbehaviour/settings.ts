import { z } from "zod";

/**
 * How long a newly written object stays out of reads: a time window and a number of reads, both spent before it
 * shows. `minMs` and `rate` make the lag vary per object, drawn from the tenant's seeded PRNG.
 */
const lagWindowShape = {
  /** The object stays invisible for this long after the write (at most this long when `minMs` is set). */
  ms: z.number().int().min(0).default(0),
  /** With `minMs` below `ms`, each object's window is drawn between the two. */
  minMs: z.number().int().min(0).optional(),
  /** The object stays invisible to the first N requests that would have shown it. */
  requests: z.number().int().min(0).default(0),
  /** The fraction of new objects that lag at all (default: every one). */
  rate: z.number().min(0).max(1).optional(),
};

function minimumWithinWindow(settings: { ms: number; minMs?: number }): boolean {
  return settings.minMs === undefined || settings.minMs <= settings.ms;
}
const minMsMessage = { message: "minMs must not exceed ms", path: ["minMs"] };

/** Lag of users created through Graph. */
export const replicationLagSchema = z
  .object({
    ...lagWindowShape,
    /**
     * What a role assignment naming an invisible principal gets: `not-found` = 404 Request_ResourceNotFound
     * (directory role assignments), `bad-reference` = 400 "Not a valid reference update" (seen on app-role assignments).
     */
    assignmentError: z.enum(["not-found", "bad-reference"]).default("not-found"),
  })
  .refine(minimumWithinWindow, minMsMessage);

/** Lag of role assignments created (and, with `removals`, deleted) through Graph. */
export const assignmentReplicationLagSchema = z
  .object({
    ...lagWindowShape,
    /** A deleted assignment keeps being listed and read by id for a window of its own, drawn the same way. */
    removals: z.boolean().default(false),
    /**
     * With `removals`: a deleted privileged assignment keeps protecting its principal (Graph's rule against app-only
     * writes to privileged users) until its removal has replicated. Microsoft documents neither way.
     */
    removalsGuardPrivileged: z.boolean().default(false),
  })
  .refine(minimumWithinWindow, minMsMessage);

export const throttleSchema = z.object({
  enabled: z.boolean().default(true),
  /** Multiplies every quota of Graph's identity limits (0.001 turns 3,000 writes per 150 s into 3). */
  quotaScale: z.number().positive().default(1),
  /** Multiplies every window of Graph's identity limits (0.01 turns 150 s into 1.5 s). */
  windowScale: z.number().positive().default(1),
  /** One third-party source claims identity 429s carry no Retry-After; `false` emulates that. */
  retryAfter: z.boolean().default(true),
});

function isRegularExpression(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * A regular expression tested against `"METHOD /path"` (the path below the version segment, without the query):
 * only matching Graph requests count.
 */
const requestPattern = z.string().refine(isRegularExpression, { message: "not a valid regular expression" });

export const faultsSchema = z.object({
  /** Fraction of Graph requests that fail, drawn from the seeded PRNG. */
  rate: z.number().min(0).max(1).default(0),
  /** The next K Graph requests fail (counted before `rate` applies). */
  next: z.number().int().min(0).default(0),
  /** 429 is answered as Graph's throttling is, without a throttle scope. */
  status: z.union([z.literal(429), z.literal(503), z.literal(504)]).default(503),
  /** Sent as `Retry-After` (seconds); without it the answer has no `Retry-After`. */
  retryAfterSeconds: z.number().min(0).optional(),
  match: requestPattern.optional(),
  /** The request runs, then its answer is replaced by the fault: a write that succeeded but whose answer was lost. */
  afterHandler: z.boolean().default(false),
});

/** Creates that are carried out but answered with a gateway failure instead of 201, once per created object. */
export const lostCreatesSchema = z.object({
  /** Fraction of first creates whose answer is lost, drawn from the seeded PRNG (default: every one). */
  rate: z.number().min(0).max(1).default(1),
  status: z.union([z.literal(503), z.literal(504)]).default(504),
  match: requestPattern.optional(),
});

export const misbehaviourSchema = z.object({
  replicationLag: replicationLagSchema.nullable().optional(),
  assignmentReplicationLag: assignmentReplicationLagSchema.nullable().optional(),
  throttle: throttleSchema.optional(),
  faults: faultsSchema.nullable().optional(),
  lostCreates: lostCreatesSchema.nullable().optional(),
  latencyMs: z.number().int().min(0).optional(),
});

export type ReplicationLagSettings = z.infer<typeof replicationLagSchema>;
export type AssignmentReplicationLagSettings = z.infer<typeof assignmentReplicationLagSchema>;
/** The window settings both lags share. */
export type LagWindowSettings = Pick<ReplicationLagSettings, "ms" | "minMs" | "requests" | "rate">;
export type ThrottleSettings = z.infer<typeof throttleSchema>;
export type FaultSettings = z.infer<typeof faultsSchema>;
export type LostCreateSettings = z.infer<typeof lostCreatesSchema>;
/** What a caller may pass: every knob optional; `null` switches a knob off. */
export type MisbehaviourInput = z.input<typeof misbehaviourSchema>;

export interface MisbehaviourSettings {
  replicationLag: ReplicationLagSettings | null;
  assignmentReplicationLag: AssignmentReplicationLagSettings | null;
  throttle: ThrottleSettings;
  faults: FaultSettings | null;
  lostCreates: LostCreateSettings | null;
  latencyMs: number;
}

export const defaultThrottle: ThrottleSettings = throttleSchema.parse({});
