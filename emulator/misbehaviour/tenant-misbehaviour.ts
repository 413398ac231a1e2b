import { AssignmentReplication } from "./assignment-replication";
import { FaultInjector } from "./faults";
import { LostCreates } from "./lost-creates";
import { hashString, seededRandom } from "./prng";
import { ReplicationLag } from "./replication-lag";
import { defaultThrottle, misbehaviourSchema, type MisbehaviourInput, type MisbehaviourSettings } from "./settings";
import { ThrottleBuckets } from "./throttle";

/** The misbehaviour knobs of one tenant and their runtime state, deterministic for a given emulator seed. */
export class TenantMisbehaviour {
  settings: MisbehaviourSettings = {
    replicationLag: null,
    assignmentReplicationLag: null,
    throttle: defaultThrottle,
    faults: null,
    lostCreates: null,
    latencyMs: 0,
  };
  readonly replicationLag: ReplicationLag;
  readonly assignmentReplication: AssignmentReplication;
  readonly throttleBuckets = new ThrottleBuckets();
  readonly faults: FaultInjector;
  readonly lostCreates: LostCreates;

  constructor(
    private readonly seed: number,
    private readonly tenantId: string,
  ) {
    this.replicationLag = new ReplicationLag(null, this.freshRandom("users"));
    this.assignmentReplication = new AssignmentReplication(this.freshRandom("assignments"), this.freshRandom("assignment-removals"));
    this.faults = new FaultInjector(null, this.freshRandom());
    this.lostCreates = new LostCreates(null, this.freshRandom("lost-creates"));
  }

  /**
   * Merges the given knobs over the current ones and restarts the state (PRNG, counters, buckets, pending lag) of
   * those given only: switching faults on and off mid-run leaves the replication of objects already written as it was.
   */
  configure(input: MisbehaviourInput): MisbehaviourSettings {
    const parsed = misbehaviourSchema.parse(input);
    const next: MisbehaviourSettings = {
      replicationLag: parsed.replicationLag === undefined ? this.settings.replicationLag : parsed.replicationLag,
      assignmentReplicationLag:
        parsed.assignmentReplicationLag === undefined ? this.settings.assignmentReplicationLag : parsed.assignmentReplicationLag,
      throttle: parsed.throttle ?? this.settings.throttle,
      faults: parsed.faults === undefined ? this.settings.faults : parsed.faults,
      lostCreates: parsed.lostCreates === undefined ? this.settings.lostCreates : parsed.lostCreates,
      latencyMs: parsed.latencyMs ?? this.settings.latencyMs,
    };
    this.settings = next;
    if (parsed.replicationLag !== undefined) this.replicationLag.configure(next.replicationLag, this.freshRandom("users"));
    if (parsed.assignmentReplicationLag !== undefined) {
      this.assignmentReplication.configure(next.assignmentReplicationLag, this.freshRandom("assignments"), this.freshRandom("assignment-removals"));
    }
    if (parsed.throttle !== undefined) this.throttleBuckets.clear();
    if (parsed.faults !== undefined) this.faults.configure(next.faults, this.freshRandom());
    if (parsed.lostCreates !== undefined) this.lostCreates.configure(next.lostCreates, this.freshRandom("lost-creates"));
    return next;
  }

  /** One PRNG stream per knob, so drawing for one never shifts another's draws. */
  private freshRandom(stream?: string): () => number {
    return seededRandom(hashString(stream ? `${this.tenantId}/${stream}` : this.tenantId, this.seed));
  }
}
