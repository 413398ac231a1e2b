import { setTimeout as sleep } from "node:timers/promises";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { entraConnections, grantSteps, grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { coalescedUserCalls } from "@/lib/entra/coalesced-user-calls";
import type { ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import { EntraError } from "@/lib/entra/errors";
import { graphFor } from "@/lib/entra/graph";
import { endsAsRevoked } from "@/lib/grants/end-reasons";
import { expiryPhases } from "@/lib/grants/expiry-phases";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { budgetSpent, irrevocableRetryDelayMs, retryBudgets, retryDelayMs } from "@/lib/grants/retry-budget";
import { logger } from "@/lib/logger";
import { RetryLater } from "@/lib/queue/retry-later";
import { recordAudit } from "@/lib/services/audit/record";
import { checkConnectionSoon } from "@/lib/services/connections/check-soon";
import { completePendingDisconnect, disconnectPending } from "@/lib/services/connections/complete-disconnect";
import type { SystemContext } from "@/lib/services/context";
import { forgetAssignments } from "./assignment-ids";
import { runExpiryAction, type ActionProgress, type MadeForAccount } from "./expiry-actions";
import { isFresh, isNotFound, isPermanent, isPrivilegedUserRefusal, mayBeLag, retryTransient, waitOutReplication } from "./graph-outcomes";
import { getGrantInMsp } from "./grant-row";
import { directRun, noLease, releaseLease, takeLease, underLease, type GrantRun } from "./lease";
import { recordedStepsTogether } from "./steps";
import { transitionGrant } from "./transition";

type Outcome = { state: Grant["state"]; skipped?: boolean };

/**
 * How long an attempt keeps running one expiry action again after transient failures before the attempt fails
 * and the job's retry takes over: a few seconds' storm is waited out by the step it hit, not by every step.
 */
const ACTION_RETRY_MS = 20_000;
/** How often an action refused under the privileged-user rule is tried again while the roles' removal replicates. */
const REFUSED_RETRY_MS = 1_000;

/** What a failed provisioning leaves goes entirely: its roles, its pass, its account (soft-deleted and purged). */
const afterFailedProvisioning: ExpiryAction[] = ["remove_roles", "remove_tap", "delete"];

/** When the grant's account was last made, and whether a run has begun deleting it: for telling lag from absence. */
type AccountHistory = { madeAt: Date | null; deleteBegun: boolean };
type Begun = { grant: Grant; leased: boolean; account: AccountHistory };
const unread: AccountHistory = { madeAt: null, deleteBegun: false };

/** Enters `expiring` when the grant is due or was ended early, takes the grant's lease for this run, and reads its account's history. */
async function beginExpiry(ctx: SystemContext, grantId: string, holder: string): Promise<Begun> {
  const mspId = ctx.mspId;
  return withMspTx(mspId, async (tx) => {
    let grant = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    const due = grant.endsAt !== null && grant.endsAt.getTime() <= Date.now();
    if (grant.state === "active" && (due || grant.endReason)) {
      grant = await transitionGrant(tx, ctx, grant, "expiring", { expiryStartedAt: new Date(), endReason: grant.endReason ?? "expired" });
    }
    if (grant.state !== "expiring" && grant.state !== "irrevocable") return { grant, leased: false, account: unread };
    if (!(await takeLease(tx, grant, holder))) return { grant, leased: false, account: unread };
    const steps = await tx
      .select({ step: grantSteps.step, at: grantSteps.startedAt })
      .from(grantSteps)
      .where(and(eq(grantSteps.grantId, grant.id), eq(grantSteps.mspId, mspId), inArray(grantSteps.step, ["create_user", "expiry:delete"])))
      .orderBy(desc(grantSteps.startedAt));
    const made = steps.find((s) => s.step === "create_user");
    return { grant, leased: true, account: { madeAt: made?.at ?? null, deleteBegun: steps.some((s) => s.step === "expiry:delete") } };
  });
}

/**
 * The Entra user of the grant: the stored id, or the account tagged with the grant (a crash, or a failure,
 * before the id was stored), looked up by its UPN, through lag while the account may be fresh.
 */
async function jitUserId(grant: Grant, graph: ReturnType<typeof graphFor>, madeAt: Date | null): Promise<string | null> {
  if (grant.entraUserId) return grant.entraUserId;
  const read = () => graph.getUser(grant.upn);
  const user = await (isFresh(madeAt) ? waitOutReplication(read) : read()).catch((err: unknown) => {
    if (isNotFound(err)) return null;
    throw err;
  });
  return user && user.employeeType === STINT_EMPLOYEE_TYPE && user.employeeId === grant.id ? user.id : null;
}

/**
 * Job grant.expire: takes the access away in the customer's order of expiry actions (everything, after a failed
 * provisioning), each verified by reading Graph back, then ends the grant. Failures are retried within the
 * expiry budget (lib/grants/retry-budget.ts); when it is spent, or Microsoft refuses for good, the grant is
 * irrevocable: red in the console, an alert, and retries that keep coming until the access is gone.
 */
export async function expireGrant(ctx: SystemContext, grantId: string, job: GrantRun): Promise<Outcome> {
  const mspId = ctx.mspId;
  const holder = job.runId ?? directRun();
  const begun = await beginExpiry(ctx, grantId, holder);
  const grant = begun.grant;
  if (!begun.leased) return { state: grant.state, skipped: true };
  try {
    return await underLease(grant, holder, () => takeAccessAway(ctx, grant, begun.account));
  } catch (err) {
    await withMspTx(mspId, (tx) =>
      tx.update(grants).set({ expiryAttempts: sql`${grants.expiryAttempts} + 1`, updatedAt: new Date() }).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId))),
    );
    if (err instanceof EntraError && err.entraCode.startsWith("AADSTS")) await checkConnectionSoon(mspId, grant.customerId);
    const refusedForGood = isPermanent(err) && !isPrivilegedUserRefusal(err);
    const spent = budgetSpent(retryBudgets.expiry, grant.expiryStartedAt ?? new Date());
    if (job.finalAttempt || refusedForGood || spent || grant.state === "irrevocable") return markIrrevocable(ctx, grant, holder, err);
    const delayMs = retryDelayMs(retryBudgets.expiry, job.attempt ?? 1, err instanceof EntraError ? err.retryAfterMs : null);
    await releaseLease(grant, holder, delayMs);
    throw new RetryLater(delayMs, err);
  }
}

/** Runs the grant's expiry actions against Graph and, every one verified, ends the grant. */
async function takeAccessAway(ctx: SystemContext, grant: Grant, account: AccountHistory): Promise<Outcome> {
  const { mspId, id: grantId } = grant;
  const connection = await withMspTx(mspId, async (tx) => {
    const [row] = await tx.select().from(entraConnections).where(and(eq(entraConnections.customerId, grant.customerId), eq(entraConnections.mspId, mspId)));
    return row;
  });
  if (!connection) throw new Error("The customer's Entra connection is gone; Stint cannot reach the tenant to take access away.");
  const graph = coalescedUserCalls(graphFor(cloudConfig(connection.cloud), grant.entraTenantId));
  const failedProvisioning = grant.endReason === "provisioning_failed";
  // A grant became usable only once Graph listed every role it was given: those assignments have replicated,
  // so a "not found" for one now means it is gone. Only a provisioning that never got there may meet lag, and
  // not once a run has begun to delete (and purge) the account: an earlier run may have done so unrecorded.
  const lagSince = grant.usableFrom || account.deleteBegun ? null : account.madeAt;
  const userId = await jitUserId(grant, graph, lagSince);
  const made: MadeForAccount = { roleAssignmentIds: grant.roleAssignmentIds, tapMethodId: grant.tapMethodId, madeAt: lagSince, forget: forgetAssignments(grant) };
  const run = async (action: ExpiryAction, progress?: ActionProgress) => {
    if (!userId) return "no account was created";
    // Only pass grants were given a pass; password grants may lack the permission to even list them.
    if (action === "remove_tap" && grant.signInMethod !== "tap") return "this grant signs in with a password; no pass was issued";
    return runExpiryAction[action](graph, userId, made, progress).catch(async (err) => {
      // Gone is done, unless "not found" may be lag; and an account in the deleted items was deleted by an
      // earlier run that did not live to record it.
      if (!isNotFound(err)) throw err;
      if (!mayBeLag(err, lagSince) || (await graph.isDeletedUser(userId))) return "the account no longer exists";
      throw err;
    });
  };
  await runPhases(grant, expiryPhases(failedProvisioning ? afterFailedProvisioning : grant.expiryActions), run);
  const { ended, pending } = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "expiring" && current.state !== "irrevocable") return { ended: current, pending: false };
    const failed = current.endReason === "provisioning_failed";
    const to = failed ? "failed" : endsAsRevoked(current.endReason) ? "revoked" : "ended";
    const patch = { usableTo: new Date(), passwordEnvelope: null, tapEnvelope: null, nextExpiryAttemptAt: null, ...noLease };
    // A revoked grant's notification carries the reason its technician was given (revoke or kill switch).
    const audit = failed ? { result: "failure" as const, reason: current.failureReason } : { reason: to === "revoked" ? current.revokeReason : null };
    const ended = await transitionGrant(tx, ctx, current, to, patch, audit);
    return { ended, pending: await disconnectPending(tx, mspId, current.customerId) };
  });
  // The tenant's disconnect waited for its access to be taken away; this may have been the last grant.
  if (pending) await completePendingDisconnect(ctx, ended.customerId);
  return { state: ended.state };
}

/**
 * Runs the phases in order, with one overlap: the phase after the roles' starts as soon as Graph has accepted
 * their removal, while the roles step waits for the lists to prove it. Disabling the account and the rest then
 * take seconds off every end instead of waiting for replication. Should Graph still count a removed role
 * against them (the privileged-user rule), each refused action is tried again every second until Graph accepts
 * it, the last time once the removal is proven.
 * Deleting the account waits for the proof; the grant ends only when every step is proven. An action that fails
 * for a transient reason is run again within the attempt for up to ACTION_RETRY_MS.
 */
async function runPhases(grant: Grant, phases: ExpiryAction[][], runOnce: (action: ExpiryAction, progress?: ActionProgress) => Promise<string>): Promise<void> {
  const run = (action: ExpiryAction, progress?: ActionProgress) => retryTransient(() => runOnce(action, progress), ACTION_RETRY_MS);
  let rolesProven: Promise<void> | null = null;
  let rolesSettled = false;
  const startedAt = Date.now();
  // Refused actions wake together, on the phases' own second, so their changes to the account go as one request.
  const nextSecond = () => sleep(REFUSED_RETRY_MS - ((Date.now() - startedAt) % REFUSED_RETRY_MS));
  const afterRoles = (action: ExpiryAction) =>
    run(action).catch(async (err: unknown) => {
      if (!rolesProven || !isPrivilegedUserRefusal(err)) throw err;
      // Tried again every second while the removal replicates and once more when the lists prove it: the first
      // try Graph accepts ends the wait, however late a throttled list read shows the removal.
      for (;;) {
        await Promise.race([rolesProven.catch(() => Promise.reject(err)), nextSecond()]);
        const final = rolesSettled;
        try {
          return await run(action);
        } catch (again) {
          if (final || !isPrivilegedUserRefusal(again)) throw again;
        }
      }
    });
  try {
    for (const phase of phases) {
      if (phase.includes("remove_roles")) {
        let sent!: () => void;
        const accepted = new Promise<void>((resolve) => (sent = resolve));
        rolesProven = recordedStepsTogether(grant, [{ name: "expiry:remove_roles", work: () => run("remove_roles", { onSent: sent }) }]).finally(
          () => (rolesSettled = true),
        );
        await Promise.race([accepted, rolesProven]);
        continue;
      }
      if (phase.includes("delete")) await rolesProven;
      await recordedStepsTogether(grant, phase.map((action) => ({ name: `expiry:${action}`, work: () => afterRoles(action) })));
    }
    await rolesProven;
  } finally {
    // A failure is thrown only once the roles step has finished too: a retry never overlaps work in flight.
    await (rolesProven as Promise<void> | null)?.catch(() => {});
  }
}

/** The access could not be proven gone: alert once, and retry as long again as it has been failing (5 min to 1 h). */
async function markIrrevocable(ctx: SystemContext, grant: Grant, holder: string, cause: unknown): Promise<Outcome> {
  const { mspId, id: grantId } = grant;
  const reason = cause instanceof Error ? cause.message : String(cause);
  logger.error({ mspId, grantId, reason }, "grant could not be revoked: irrevocable");
  const failingForMs = Date.now() - (grant.expiryStartedAt ?? new Date()).getTime();
  const next = new Date(Date.now() + irrevocableRetryDelayMs(failingForMs));
  const current = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state === "irrevocable") {
      await tx.update(grants).set({ nextExpiryAttemptAt: next, failureReason: reason, updatedAt: new Date(), ...noLease }).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
      await recordAudit(tx, ctx, { action: "grant.revocation_retry_failed", result: "failure", reason, target: { type: "grant", id: grantId, label: current.upn } });
      return current;
    }
    if (current.state !== "expiring") return current;
    return transitionGrant(tx, ctx, current, "irrevocable", { failureReason: reason, nextExpiryAttemptAt: next, ...noLease }, { result: "failure", reason, metadata: { alert: true } });
  });
  await releaseLease(grant, holder, null);
  return { state: current.state };
}
