import { and, eq, sql } from "drizzle-orm";
import { entraConnections, grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { graphFor } from "@/lib/entra/graph";
import { endsAsRevoked } from "@/lib/grants/end-reasons";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { logger } from "@/lib/logger";
import { recordAudit } from "@/lib/services/audit/record";
import { completePendingDisconnect, disconnectPending } from "@/lib/services/connections/complete-disconnect";
import { systemContext } from "@/lib/services/context";
import { runExpiryAction } from "./expiry-actions";
import { isNotFound } from "./graph-outcomes";
import { finishStep, getGrantInMsp, startStep, transitionGrant } from "./internal";

const IRREVOCABLE_RETRY_MS = 24 * 3600_000;

type Outcome = { state: Grant["state"]; skipped?: boolean };

async function recordedStep(grant: Grant, name: string, run: () => Promise<string>): Promise<void> {
  const id = await withMspTx(grant.mspId, (tx) => startStep(tx, grant, name));
  try {
    const detail = await run();
    await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, id, "succeeded", detail));
  } catch (err) {
    await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, id, "failed", err instanceof Error ? err.message : String(err)));
    throw err;
  }
}

/** Enters `expiring` when the grant is due or was ended early; returns the grant as it now is. */
async function beginExpiry(mspId: string, grantId: string): Promise<Grant> {
  const ctx = systemContext(mspId, "grant.expire");
  return withMspTx(mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    const due = grant.endsAt !== null && grant.endsAt.getTime() <= Date.now();
    if (grant.state !== "active" || !(due || grant.endReason)) return grant;
    return transitionGrant(tx, ctx, grant, "expiring", { expiryStartedAt: new Date(), endReason: grant.endReason ?? "expired" });
  });
}

/** The Entra user of the grant: the stored id, or the account tagged with the grant (a crash before it was stored). */
async function jitUserId(grant: Grant, graph: ReturnType<typeof graphFor>): Promise<string | null> {
  if (grant.entraUserId) return grant.entraUserId;
  const [tagged] = await graph.findUsers(`employeeId eq '${grant.id}'`);
  return tagged && tagged.employeeType === STINT_EMPLOYEE_TYPE ? tagged.id : null;
}

/**
 * Job grant.expire: takes the access away in the customer's order of expiry actions, each verified by
 * reading Graph back, then ends the grant. Transient failures are retried by BullMQ with backoff; when
 * the retries are spent (or Graph refuses for good) the grant becomes irrevocable: red in the console,
 * an alert event, and another attempt every day.
 */
export async function expireGrant(mspId: string, grantId: string, options: { finalAttempt: boolean }): Promise<Outcome> {
  const ctx = systemContext(mspId, "grant.expire");
  const grant = await beginExpiry(mspId, grantId);
  if (grant.state !== "expiring" && grant.state !== "irrevocable") return { state: grant.state, skipped: true };
  try {
    const connection = await withMspTx(mspId, async (tx) => {
      const [row] = await tx.select().from(entraConnections).where(and(eq(entraConnections.customerId, grant.customerId), eq(entraConnections.mspId, mspId)));
      return row;
    });
    if (!connection) throw new Error("The customer's Entra connection is gone; Stint cannot reach the tenant to take access away.");
    const graph = graphFor(cloudConfig(connection.cloud), grant.entraTenantId);
    const userId = await jitUserId(grant, graph);
    for (const action of grant.expiryActions) {
      await recordedStep(grant, `expiry:${action}`, async () => {
        if (!userId) return "no account was created";
        // Only pass grants were given a pass; password grants may lack the permission to even list them.
        if (action === "remove_tap" && grant.signInMethod !== "tap") return "this grant signs in with a password; no pass was issued";
        return runExpiryAction[action](graph, userId).catch((err) => {
          if (isNotFound(err)) return "the account no longer exists";
          throw err;
        });
      });
    }
    const { ended, pending } = await withMspTx(mspId, async (tx) => {
      const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
      if (current.state !== "expiring" && current.state !== "irrevocable") return { ended: current, pending: false };
      const to = endsAsRevoked(current.endReason) ? "revoked" : "ended";
      const ended = await transitionGrant(tx, ctx, current, to, { usableTo: new Date(), passwordEnvelope: null, tapEnvelope: null, nextExpiryAttemptAt: null });
      return { ended, pending: await disconnectPending(tx, mspId, current.customerId) };
    });
    // The tenant's disconnect waited for its access to be taken away; this may have been the last grant.
    if (pending) await completePendingDisconnect(mspId, ended.customerId);
    return { state: ended.state };
  } catch (err) {
    await withMspTx(mspId, (tx) =>
      tx.update(grants).set({ expiryAttempts: sql`${grants.expiryAttempts} + 1`, updatedAt: new Date() }).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId))),
    );
    if (!options.finalAttempt) throw err;
    return markIrrevocable(mspId, grantId, err);
  }
}

async function markIrrevocable(mspId: string, grantId: string, cause: unknown): Promise<Outcome> {
  const ctx = systemContext(mspId, "grant.expire");
  const reason = cause instanceof Error ? cause.message : String(cause);
  logger.error({ mspId, grantId, reason }, "grant could not be revoked: irrevocable");
  const grant = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    const next = new Date(Date.now() + IRREVOCABLE_RETRY_MS);
    if (current.state === "irrevocable") {
      await tx.update(grants).set({ nextExpiryAttemptAt: next, failureReason: reason, updatedAt: new Date() }).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
      await recordAudit(tx, ctx, { action: "grant.revocation_retry_failed", result: "failure", reason, target: { type: "grant", id: grantId, label: current.upn } });
      return current;
    }
    if (current.state !== "expiring") return current;
    return transitionGrant(tx, ctx, current, "irrevocable", { failureReason: reason, nextExpiryAttemptAt: next }, { result: "failure", reason, metadata: { alert: true } });
  });
  return { state: grant.state };
}
