import type { ConnectWiseInstance } from "./connectwise/instance";
import type { HaloInstance } from "./halo/instance";

/** The emulated PSA instances, each addressed by its own path name; independent of each other and of the Entra tenants. */
export class PsaStore {
  readonly halo = new Map<string, HaloInstance>();
  readonly connectwise = new Map<string, ConnectWiseInstance>();

  clear(): void {
    this.halo.clear();
    this.connectwise.clear();
  }
}

/** Misbehaviour of one instance: its next `remaining` calls are refused with 429 and this Retry-After. */
export interface RateLimit {
  remaining: number;
  retryAfterSeconds: number;
}

/** Spends one refused call; the Retry-After seconds to answer with, or null when the call goes through. */
export function takeRateLimit(limit: RateLimit): number | null {
  if (limit.remaining <= 0) return null;
  limit.remaining -= 1;
  return limit.retryAfterSeconds;
}
