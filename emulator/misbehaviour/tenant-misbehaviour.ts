import { FaultInjector } from "./faults";
import { hashString, seededRandom } from "./prng";
import { ReplicationLag } from "./replication-lag";
import { defaultThrottle, misbehaviourSchema, type MisbehaviourInput, type MisbehaviourSettings } from "./settings";
import { ThrottleBuckets } from "./throttle";

/** The misbehaviour knobs of one tenant and their runtime state, deterministic for a given emulator seed. */
export class TenantMisbehaviour {
  settings: MisbehaviourSettings = { replicationLag: null, throttle: defaultThrottle, faults: null, latencyMs: 0 };
  readonly replicationLag = new ReplicationLag(null);
  readonly throttleBuckets = new ThrottleBuckets();
  readonly faults: FaultInjector;

  constructor(
    private readonly seed: number,
    private readonly tenantId: string,
  ) {
    this.faults = new FaultInjector(null, this.freshRandom());
  }

  /** Merges the given knobs over the current ones and restarts their state (PRNG, counters, buckets). */
  configure(input: MisbehaviourInput): MisbehaviourSettings {
    const parsed = misbehaviourSchema.parse(input);
    const next: MisbehaviourSettings = {
      replicationLag: parsed.replicationLag === undefined ? this.settings.replicationLag : parsed.replicationLag,
      throttle: parsed.throttle ?? this.settings.throttle,
      faults: parsed.faults === undefined ? this.settings.faults : parsed.faults,
      latencyMs: parsed.latencyMs ?? this.settings.latencyMs,
    };
    this.settings = next;
    this.replicationLag.configure(next.replicationLag);
    this.throttleBuckets.clear();
    this.faults.configure(next.faults, this.freshRandom());
    return next;
  }

  private freshRandom(): () => number {
    return seededRandom(hashString(this.tenantId, this.seed));
  }
}
