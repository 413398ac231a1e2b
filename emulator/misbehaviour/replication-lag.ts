import type { LagWindowSettings } from "./settings";

interface Pending {
  settlesAt: number;
  hiddenReadsLeft: number;
}

/**
 * A successful write to Entra does not guarantee that an immediate read sees it
 * (https://devblogs.microsoft.com/identity/designing-for-eventual-consistency-for-microsoft-entra/). A write made
 * while the lag is switched on stays unreplicated until both its time window has passed and its read budget is
 * spent; which writes lag and for how long is drawn from the tenant's seeded PRNG.
 */
export class ReplicationLag {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private settings: LagWindowSettings | null,
    private random: () => number,
  ) {}

  configure(settings: LagWindowSettings | null, random: () => number): void {
    this.settings = settings;
    this.random = random;
    this.pending.clear();
  }

  /** A write to the object just happened; true when reads may not see it yet. */
  written(objectId: string, now = Date.now()): boolean {
    const settings = this.settings;
    if (!settings || (settings.ms === 0 && settings.requests === 0)) return false;
    if (settings.rate !== undefined && this.random() >= settings.rate) return false;
    const minMs = settings.minMs ?? settings.ms;
    const windowMs = minMs + Math.round(this.random() * (settings.ms - minMs));
    this.pending.set(objectId, { settlesAt: now + windowMs, hiddenReadsLeft: settings.requests });
    return true;
  }

  /** A read that would see the write if it had replicated: spends one of its reads; true once it has replicated. */
  read(objectId: string, now = Date.now()): boolean {
    const entry = this.pending.get(objectId);
    if (!entry) return true;
    if (entry.hiddenReadsLeft > 0) {
      entry.hiddenReadsLeft -= 1;
      return false;
    }
    return this.settle(objectId, entry, now);
  }

  /** Whether the write has replicated, without spending a read (a listing of many objects). */
  hasReplicated(objectId: string, now = Date.now()): boolean {
    const entry = this.pending.get(objectId);
    if (!entry) return true;
    if (entry.hiddenReadsLeft > 0) return false;
    return this.settle(objectId, entry, now);
  }

  /** The write is superseded (e.g. the object was created again): reads follow the newest write only. */
  forget(objectId: string): void {
    this.pending.delete(objectId);
  }

  private settle(objectId: string, entry: Pending, now: number): boolean {
    if (now < entry.settlesAt) return false;
    this.pending.delete(objectId);
    return true;
  }
}
