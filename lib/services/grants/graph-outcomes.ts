import { setTimeout as sleep } from "node:timers/promises";
import { EntraError } from "@/lib/entra/errors";

/**
 * Microsoft refused for good: retrying the same call cannot succeed — a 4xx from Graph (bad request,
 * forbidden, conflict) other than throttling and replication lag, or an AADSTS refusal from the token
 * endpoint (consent missing or revoked, bad secret, unknown tenant or app).
 */
export function isPermanent(err: unknown): boolean {
  if (!(err instanceof EntraError)) return false;
  if (err.entraCode.startsWith("AADSTS")) return true;
  return err.httpStatus !== undefined && err.httpStatus >= 400 && err.httpStatus < 500 && err.httpStatus !== 429 && !isReplicationLag(err);
}

/** A new user that Entra has not replicated yet: 404, or 400 "Not a valid reference update". */
export function isReplicationLag(err: unknown): boolean {
  if (!(err instanceof EntraError)) return false;
  if (err.httpStatus === 404) return true;
  return err.httpStatus === 400 && /not a valid reference/i.test(err.message);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof EntraError && err.httpStatus === 404;
}

/** "Already exists" answers to a create are success when the thing is what we wanted (a create whose first answer was lost meets its own object). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof EntraError && err.httpStatus === 400 && /conflicting object|already exist/i.test(err.message);
}

/**
 * How long after an object's creation a "not found" may still mean "not replicated yet": Entra's own
 * guidance and reports put directory replication at seconds, PIM's at "tens of seconds, up to a minute or two".
 */
export const REPLICATION_WINDOW_MS = 2 * 60_000;

/** Whether an object made at `madeAt` may still be replicating. */
export function isFresh(madeAt: Date | null, now = Date.now()): boolean {
  return madeAt !== null && now - madeAt.getTime() < REPLICATION_WINDOW_MS;
}

/** Within the window after `madeAt`, a 404 or a "not a valid reference" may be lag; after it, they are true. */
export function mayBeLag(err: unknown, madeAt: Date | null, now = Date.now()): boolean {
  return isFresh(madeAt, now) && isReplicationLag(err);
}

/**
 * A user write refused with Authorization_RequestDenied: Graph refuses app-only writes to a user who holds a
 * privileged role. After the roles were removed, that can only be a fresh assignment the lists do not show yet
 * (or a permission the consent lacks): worth another attempt, not a verdict.
 */
export function isPrivilegedUserRefusal(err: unknown): boolean {
  return err instanceof EntraError && err.httpStatus === 403 && err.entraCode === "Authorization_RequestDenied";
}

/** A write whose answer was lost (5xx other than a refusal, or the connection dropped): it may have been carried out. */
export function isLostAnswer(err: unknown): boolean {
  if (!(err instanceof EntraError)) return false;
  return err.entraCode === "network" || (err.httpStatus !== undefined && err.httpStatus >= 500);
}

/**
 * Sends a write again, up to twice, when its answer was lost. Only for writes that are safe to repeat: creates
 * Graph makes unique (a user by its UPN, a role assignment by role and principal: the repeat meets the first as
 * a conflict) or replacing (a user's Temporary Access Pass), and acts whose repeat changes nothing more (revoking
 * sign-in sessions). Repeating one can never make a second object, and saves a whole job attempt.
 */
export async function sendAgainIfLost<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!isLostAnswer(err) || attempt >= 3) throw err;
      await sleep(250 * attempt);
    }
  }
}

/**
 * Whether running the same Graph work again may succeed: an answer lost or refused for now (5xx, throttling,
 * the network), a change not read back yet, or lag. Not a refusal for good, nor a failure outside Graph.
 */
export function isTransient(err: unknown): boolean {
  return err instanceof EntraError && !isPermanent(err) && !isPrivilegedUserRefusal(err);
}

/**
 * Runs `work` again after a transient failure, 250 ms doubling to 2 s apart (never sooner than a Retry-After), for
 * up to `forMs`; then, or on any other failure, the error goes to the caller. Keeping a failed step going here
 * costs its wait; failing the attempt would also cost the job's retry delay and every other step run again.
 */
export async function retryTransient<T>(work: () => Promise<T>, forMs: number): Promise<T> {
  const giveUpAt = Date.now() + forMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await work();
    } catch (err) {
      const wait = Math.max(delay, err instanceof EntraError ? (err.retryAfterMs ?? 0) : 0);
      if (!isTransient(err) || Date.now() + wait > giveUpAt) throw err;
      await sleep(wait);
    }
  }
}

/** Waits out replication lag with bounded backoff (~30 s in all), then gives up with the last error. */
export async function waitOutReplication<T>(run: () => Promise<T>, delaysMs = [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isReplicationLag(err) || attempt >= delaysMs.length) throw err;
      await sleep(delaysMs[attempt]!);
    }
  }
}
