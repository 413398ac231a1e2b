import { z } from "zod";

export const replicationLagSchema = z.object({
  /** A new user stays invisible for this long after creation. */
  ms: z.number().int().min(0).default(0),
  /** A new user stays invisible to the first N requests that address it (GET, PATCH, role assignment, ...). */
  requests: z.number().int().min(0).default(0),
  /**
   * What a role assignment naming an invisible principal gets: `not-found` = 404 Request_ResourceNotFound
   * (directory role assignments), `bad-reference` = 400 "Not a valid reference update" (seen on app-role assignments).
   */
  assignmentError: z.enum(["not-found", "bad-reference"]).default("not-found"),
});

export const throttleSchema = z.object({
  enabled: z.boolean().default(true),
  /** Multiplies every quota of Graph's identity limits (0.001 turns 3,000 writes per 150 s into 3). */
  quotaScale: z.number().positive().default(1),
  /** Multiplies every window of Graph's identity limits (0.01 turns 150 s into 1.5 s). */
  windowScale: z.number().positive().default(1),
  /** One third-party source claims identity 429s carry no Retry-After; `false` emulates that. */
  retryAfter: z.boolean().default(true),
});

export const faultsSchema = z.object({
  /** Fraction of Graph requests that fail, drawn from the seeded PRNG. */
  rate: z.number().min(0).max(1).default(0),
  /** The next K Graph requests fail (counted before `rate` applies). */
  next: z.number().int().min(0).default(0),
  status: z.union([z.literal(503), z.literal(504)]).default(503),
  retryAfterSeconds: z.number().min(0).optional(),
  /**
   * A regular expression tested against `"METHOD /path"` (the path below the version segment, without the query):
   * only matching Graph requests count and fail.
   */
  match: z.string().refine(isRegularExpression, { message: "not a valid regular expression" }).optional(),
  /** The request runs, then its answer is replaced by the fault: a write that succeeded but whose answer was lost. */
  afterHandler: z.boolean().default(false),
});

function isRegularExpression(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const misbehaviourSchema = z.object({
  replicationLag: replicationLagSchema.nullable().optional(),
  throttle: throttleSchema.optional(),
  faults: faultsSchema.nullable().optional(),
  latencyMs: z.number().int().min(0).optional(),
});

export type ReplicationLagSettings = z.infer<typeof replicationLagSchema>;
export type ThrottleSettings = z.infer<typeof throttleSchema>;
export type FaultSettings = z.infer<typeof faultsSchema>;
/** What a caller may pass: every knob optional; `null` switches a knob off. */
export type MisbehaviourInput = z.input<typeof misbehaviourSchema>;

export interface MisbehaviourSettings {
  replicationLag: ReplicationLagSettings | null;
  throttle: ThrottleSettings;
  faults: FaultSettings | null;
  latencyMs: number;
}

export const defaultThrottle: ThrottleSettings = throttleSchema.parse({});
