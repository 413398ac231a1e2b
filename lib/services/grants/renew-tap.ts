import { and, eq } from "drizzle-orm";
import { entraConnections, grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor } from "@/lib/entra/graph";
import { readTapPolicy } from "@/lib/entra/read-tap-policy";
import { budgetSpent, retryBudgets, retryDelayMs } from "@/lib/grants/retry-budget";
import { RetryLater } from "@/lib/queue/retry-later";
import { recordAudit } from "@/lib/services/audit/record";
import { checkConnectionSoon } from "@/lib/services/connections/check-soon";
import type { SystemContext } from "@/lib/services/context";
import { getGrantInMsp } from "./grant-row";
import { isPermanent } from "./graph-outcomes";
import { issueTap, storeTap } from "./issue-tap";
import type { GrantRun } from "./lease";
import { scheduleTapRenewal } from "./schedule";
import { failStep, finishStep, startStep } from "./steps";
import { needsTapRenewal, tapRenewalDueAt } from "./tap-renewal";

type Outcome = { renewed: boolean; skipped?: boolean; expiresAt?: string };

/**
 * Job grant.renew_tap: a live grant whose Temporary Access Pass lapses before the grant ends gets a new
 * one shortly before (Graph replaces the old pass; the extension and reveal hand out the new one, and the
 * technician signs in again when the old pass's sessions end). The grant row stays locked while the pass
 * is made, so an expiry starting meanwhile waits and then removes the new pass too: no pass outlives its
 * grant. A refusal that retrying cannot fix is recorded on the grant and raised as an alert; the grant
 * keeps its access until its end, but new sign-ins stop when the current pass lapses.
 */
export async function renewTap(ctx: SystemContext, grantId: string, job: GrantRun): Promise<Outcome> {
  const mspId = ctx.mspId;
  const ready = await withMspTx(mspId, (tx) => getGrantInMsp(tx, mspId, grantId));
  if (!needsTapRenewal(ready)) return { renewed: false, skipped: true };
  if (tapRenewalDueAt(ready) > Date.now()) {
    // Woken early (a sweep, or a pass renewed since): wait for the current pass's own time.
    await scheduleTapRenewal(ready);
    return { renewed: false, skipped: true };
  }
  const connection = await withMspTx(mspId, async (tx) => {
    const [row] = await tx.select().from(entraConnections).where(and(eq(entraConnections.customerId, ready.customerId), eq(entraConnections.mspId, mspId)));
    return row;
  });
  const stepId = await withMspTx(mspId, (tx) => startStep(tx, ready, "renew_tap"));
  try {
    if (!connection || connection.status !== "connected" || connection.tenantId !== ready.entraTenantId || !ready.entraUserId) {
      throw new EntraError("The customer's Entra ID is no longer connected to the tenant of this grant.", "not_connected", 409);
    }
    const graph = graphFor(cloudConfig(connection.cloud), ready.entraTenantId);
    const policy = await readTapPolicy(graph);
    const renewed = await withMspTx(mspId, async (tx) => {
      const grant = await getGrantInMsp(tx, mspId, grantId, { lock: true });
      if (!needsTapRenewal(grant)) return null;
      const minutes = (grant.endsAt!.getTime() - Date.now()) / 60_000;
      const pass = await issueTap(graph, grant, grant.entraUserId!, policy, { minutes, reuse: false });
      await storeTap(tx, grant, pass);
      await finishStep(tx, mspId, stepId, "succeeded", `new pass for ${pass.lifetimeMinutes} min, until ${pass.expiresAt.toISOString()}`);
      await recordAudit(tx, ctx, {
        action: "grant.tap_renewed",
        target: { type: "grant", id: grant.id, label: grant.upn },
        metadata: { expiresAt: pass.expiresAt.toISOString(), lifetimeMinutes: pass.lifetimeMinutes },
      });
      return { ...grant, tapExpiresAt: pass.expiresAt };
    });
    if (!renewed) {
      await withMspTx(mspId, (tx) => finishStep(tx, mspId, stepId, "succeeded", "not needed any more"));
      return { renewed: false, skipped: true };
    }
    // A tenant maximum shorter than the rest of the grant: the next renewal is due before this pass lapses.
    await scheduleTapRenewal(renewed);
    return { renewed: true, expiresAt: renewed.tapExpiresAt.toISOString() };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await failStep(ready, stepId, err);
    if (err instanceof EntraError && err.entraCode.startsWith("AADSTS")) await checkConnectionSoon(mspId, ready.customerId);
    if (job.finalAttempt || isPermanent(err) || budgetSpent(retryBudgets.renewTap, new Date(tapRenewalDueAt(ready)))) {
      await recordRenewalFailure(ctx, ready, reason);
      return { renewed: false };
    }
    throw new RetryLater(retryDelayMs(retryBudgets.renewTap, job.attempt ?? 1, err instanceof EntraError ? err.retryAfterMs : null), err);
  }
}

async function recordRenewalFailure(ctx: SystemContext, grant: Grant, reason: string) {
  const mspId = ctx.mspId;
  const lapses = grant.tapExpiresAt?.toISOString() ?? "now";
  const message = `The Temporary Access Pass could not be renewed: ${reason} New sign-ins stop when the current pass lapses (${lapses}); sessions already open end then too.`;
  await withMspTx(mspId, async (tx) => {
    await tx.update(grants).set({ tapRenewalError: message, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId)));
    await recordAudit(tx, ctx, {
      action: "grant.tap_renewal_failed",
      result: "failure",
      reason: message,
      target: { type: "grant", id: grant.id, label: grant.upn },
      metadata: { alert: true, tapExpiresAt: lapses },
    });
  });
}
