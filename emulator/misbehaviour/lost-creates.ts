import type { LostCreateSettings } from "./settings";

/**
 * Creates that were carried out but whose answer never reached the caller (a gateway timeout after the write): the
 * first create of each object, or a seeded fraction of first creates, is answered with a 503/504 instead of 201. A
 * client that sends the create again meets the object it already made (for users and role assignments, a conflict).
 */
export class LostCreates {
  /** Objects whose first create has been answered, lost or not. */
  private readonly seen = new Set<string>();
  private match: RegExp | undefined;

  constructor(
    private settings: LostCreateSettings | null,
    private random: () => number,
  ) {
    this.configure(settings, random);
  }

  configure(settings: LostCreateSettings | null, random: () => number): void {
    this.settings = settings;
    this.random = random;
    this.match = settings?.match === undefined ? undefined : new RegExp(settings.match);
    this.seen.clear();
  }

  /** `request` is `"METHOD /path"`, `objectKey` names the object the create made; the status to answer if lost. */
  draw(request: string, objectKey: string): LostCreateSettings["status"] | undefined {
    const settings = this.settings;
    if (!settings || this.seen.has(objectKey) || (this.match && !this.match.test(request))) return undefined;
    this.seen.add(objectKey);
    return this.random() < settings.rate ? settings.status : undefined;
  }
}
