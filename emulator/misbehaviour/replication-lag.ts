import type { ReplicationLagSettings } from "./settings";

interface Pending {
  visibleAt: number;
  hiddenLookupsLeft: number;
}

/**
 * A successful write to Entra does not guarantee an immediate read sees the object. Objects created while lag is
 * switched on stay invisible until both their time window has passed and their hidden-lookup budget is spent.
 */
export class ReplicationLag {
  private readonly pending = new Map<string, Pending>();

  constructor(private settings: ReplicationLagSettings | null) {}

  configure(settings: ReplicationLagSettings | null): void {
    this.settings = settings;
    this.pending.clear();
  }

  get assignmentError(): ReplicationLagSettings["assignmentError"] {
    return this.settings?.assignmentError ?? "not-found";
  }

  created(objectId: string, now = Date.now()): void {
    if (!this.settings || (this.settings.ms === 0 && this.settings.requests === 0)) return;
    this.pending.set(objectId, { visibleAt: now + this.settings.ms, hiddenLookupsLeft: this.settings.requests });
  }

  /** A request addressing the object: counts against its hidden-lookup budget. */
  lookup(objectId: string, now = Date.now()): boolean {
    const entry = this.pending.get(objectId);
    if (!entry) return true;
    if (entry.hiddenLookupsLeft > 0) {
      entry.hiddenLookupsLeft -= 1;
      return false;
    }
    return this.settle(objectId, entry, now);
  }

  /** A listing that would include the object: does not spend the budget. */
  isVisible(objectId: string, now = Date.now()): boolean {
    const entry = this.pending.get(objectId);
    if (!entry) return true;
    if (entry.hiddenLookupsLeft > 0) return false;
    return this.settle(objectId, entry, now);
  }

  private settle(objectId: string, entry: Pending, now: number): boolean {
    if (now < entry.visibleAt) return false;
    this.pending.delete(objectId);
    return true;
  }
}
