import type { RoleAssignment } from "../state";
import { ReplicationLag } from "./replication-lag";
import type { AssignmentReplicationLagSettings } from "./settings";

/**
 * What reads of role assignments see while writes replicate: a new assignment is missing from lists and from GET
 * and DELETE by id; with `removals`, a deleted one is still listed and read by id. Writes, and every rule that
 * depends on who holds a role, act on the directory's true state.
 */
export class AssignmentReplication {
  private guardPrivileged = false;
  private readonly additions: ReplicationLag;
  private readonly removals: ReplicationLag;
  /** Deleted assignments that reads may still return, by id. */
  private readonly stale = new Map<string, RoleAssignment>();

  constructor(randomForAdditions: () => number, randomForRemovals: () => number) {
    this.additions = new ReplicationLag(null, randomForAdditions);
    this.removals = new ReplicationLag(null, randomForRemovals);
  }

  configure(settings: AssignmentReplicationLagSettings | null, randomForAdditions: () => number, randomForRemovals: () => number): void {
    this.additions.configure(settings, randomForAdditions);
    this.removals.configure(settings?.removals ? settings : null, randomForRemovals);
    this.guardPrivileged = settings?.removalsGuardPrivileged ?? false;
    this.stale.clear();
  }

  created(assignment: RoleAssignment): void {
    this.stale.delete(assignment.id);
    this.removals.forget(assignment.id);
    this.additions.written(assignment.id);
  }

  deleted(assignment: RoleAssignment): void {
    this.additions.forget(assignment.id);
    if (this.removals.written(assignment.id)) this.stale.set(assignment.id, assignment);
  }

  /** Deleted assignments whose removal has not replicated yet: reads may still return them. */
  staleAssignments(): RoleAssignment[] {
    return [...this.stale.values()];
  }

  /** Deleted assignments that still count for the privileged-user rule while their removal replicates (usually none). */
  guardingAssignments(now = Date.now()): RoleAssignment[] {
    if (!this.guardPrivileged) return [];
    return this.staleAssignments().filter((a) => !this.removals.hasReplicated(a.id, now));
  }

  /** A read that would return the assignment (true or stale): spends one of its hidden reads; true if it is returned. */
  read(assignment: RoleAssignment, now = Date.now()): boolean {
    if (this.stale.get(assignment.id) !== assignment) return this.additions.read(assignment.id, now);
    const removalReplicated = this.removals.read(assignment.id, now);
    if (removalReplicated) this.stale.delete(assignment.id);
    return !removalReplicated;
  }
}
