/** The soak's knobs and targets, in one place (docs/reliability.md explains each). */

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

/** Given to both worker processes; the kill and Redis-loss targets are measured against the job lock. */
export const JOB_LOCK_SECONDS = int("JOB_LOCK_SECONDS", 10);
export const SWEEP_EVERY_SECONDS = int("SWEEP_EVERY_SECONDS", 5);
export const WORKER_PROCESSES = 2;

/** Every scenario: this many emulated tenants, each with this many grants (one per technician). */
export const TENANTS = 10;
export const GRANTS_PER_TENANT = 10;
/** Technicians: one grant each per tenant, plus a few who ask while a tenant's consent is revoked. */
export const TECHNICIANS = GRANTS_PER_TENANT + 5;
/** Grants that fail provisioning on purpose, per kind, in the scenarios that force failures. */
export const FORCED_FAILURES_PER_KIND = 5;

/** Requests are spread over this window, interleaved across tenants. */
export const REQUEST_WINDOW_MS = 20_000;
/** Once active, a grant keeps its access for 15–35 s (the request minimum is 15 minutes; the soak moves the end closer). */
export const HOLD_MIN_MS = 15_000;
export const HOLD_SPREAD_MS = 20_000;
/** Every tenth grant is ended early by its technician rather than reaching its end. */
export const ENDED_BY_TECHNICIAN_EVERY = 10;
/** After the last end (or request), how long the soak waits for every grant to be final before judging. */
export const SETTLE_MS = int("SOAK_SETTLE_SECONDS", 60) * 1000;

/** The emulator's snapshots are read this often to time when Graph shows access gone. */
export const WATCH_EVERY_MS = 100;
/** A scenario's tenant snapshots and Stint's rows are polled this often by the driver. */
export const POLL_EVERY_MS = 250;
/** Stint may call a grant ended only once Graph shows its access gone; this allows for the watcher's polling. */
export const VERIFY_SLACK_MS = 300;

/** Kill scenario: one worker SIGKILLed this often, alternately, and started again at once. */
export const KILL_EVERY_MS = 5_000;
/** Redis-loss scenario: the queue's keys are deleted when this many grants are expiring, and again after a pause. */
export const REDIS_LOSS_WHEN_EXPIRING = 5;
export const REDIS_LOSS_AGAIN_AFTER_MS = 10_000;
/** Consent scenario: revoked once this many of the tenant's grants are active, restored this long after. */
export const CONSENT_REVOKE_WHEN_ACTIVE = 4;
export const CONSENT_RESTORE_AFTER_MS = 45_000;
/** Requests made on the revoked tenant this long after the revocation must be refused with the reason. */
export const CONSENT_ASK_AFTER_MS = 15_000;
/**
 * Token lifetime in the consent scenario: MSAL renews a token 300 s before it expires, so a 310 s token is
 * reused for 10 s and a revoked consent is felt within seconds (tokens already issued stay valid, as in Entra).
 */
export const CONSENT_TOKEN_LIFETIME_SECONDS = 310;

export const TARGETS = {
  calmEndToVerifiedP99Ms: 1_000,
  stormEndToVerifiedP99Ms: 10_000,
  /** With workers killed or the queue's keys lost: within the job lock plus 5 s. */
  faultEndToVerifiedP99Ms: (JOB_LOCK_SECONDS + 5) * 1000,
};

