import type { FaultSettings } from "./settings";

export interface InjectedFault {
  status: FaultSettings["status"];
  retryAfterSeconds?: number;
  /** Replace the answer of a request that ran, instead of failing it before it runs. */
  afterHandler: boolean;
}

/** Transient 429/503/504s: first the next K requests, then a seeded fraction of the rest; optionally only matching ones. */
export class FaultInjector {
  private remainingForced = 0;
  private match: RegExp | undefined;

  constructor(
    private settings: FaultSettings | null,
    private random: () => number,
  ) {
    this.configure(settings, random);
  }

  configure(settings: FaultSettings | null, random: () => number): void {
    this.settings = settings;
    this.random = random;
    this.remainingForced = settings?.next ?? 0;
    this.match = settings?.match === undefined ? undefined : new RegExp(settings.match);
  }

  /** `request` is `"METHOD /path"`; a request the `match` expression rejects neither counts nor fails. */
  draw(request: string): InjectedFault | undefined {
    const settings = this.settings;
    if (!settings || (this.match && !this.match.test(request))) return undefined;
    let fails = false;
    if (this.remainingForced > 0) {
      this.remainingForced -= 1;
      fails = true;
    } else if (settings.rate > 0) {
      fails = this.random() < settings.rate;
    }
    if (!fails) return undefined;
    return { status: settings.status, retryAfterSeconds: settings.retryAfterSeconds, afterHandler: settings.afterHandler };
  }
}
