/**
 * Thrown by a job that wants another attempt after exactly `delayMs` (its retry budget's next delay, at least
 * Microsoft's Retry-After). The worker's backoff strategy reads it, so the job and the grant's lease agree on
 * when the retry comes. The original failure is the cause and gives the message.
 */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "RetryLater";
  }
}

/** BullMQ's custom backoff: a RetryLater's delay, or a short default for anything else that failed. */
export function retryLaterBackoff(attemptsMade: number, _type?: string, err?: Error): number {
  if (err instanceof RetryLater) return err.delayMs;
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
}
