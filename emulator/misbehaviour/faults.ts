import type { FaultSettings } from "./settings";

export interface InjectedFault {
  status: 503 | 504;
  retryAfterSeconds?: number;
}

/** Transient 503/504s: first the next K requests, then a seeded fraction of the rest. */
export class FaultInjector {
  private remainingForced = 0;

  constructor(
    private settings: FaultSettings | null,
    private random: () => number,
  ) {
    this.remainingForced = settings?.next ?? 0;
  }

  configure(settings: FaultSettings | null, random: () => number): void {
    this.settings = settings;
    this.random = random;
    this.remainingForced = settings?.next ?? 0;
  }

  draw(): InjectedFault | undefined {
    const settings = this.settings;
    if (!settings) return undefined;
    let fails = false;
    if (this.remainingForced > 0) {
      this.remainingForced -= 1;
      fails = true;
    } else if (settings.rate > 0) {
      fails = this.random() < settings.rate;
    }
    if (!fails) return undefined;
    return { status: settings.status, retryAfterSeconds: settings.retryAfterSeconds };
  }
}
