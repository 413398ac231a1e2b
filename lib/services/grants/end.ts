import { and, eq } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError, forbidden } from "@/lib/errors";
import { can } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { getGrantInMsp } from "./grant-row";
import { retryRevocationsNow } from "./retry-revocation";
import { scheduleExpiry } from "./schedule";
import { revokeGrantInput } from "./schemas";
import { recordActStep } from "./steps";
import { tokenMaySee } from "./token-restriction";
import { transitionGrant } from "./transition";

type EndReason = "ended_by_technician" | "revoked";

/**
 * Ends a grant before its time: the technician ends their own, an admin revokes anyone's, saying why (the
 * reason is kept on the grant for its technician, in the audit event and on the grant's timeline). A
 * scheduled grant that has not started is revoked outright; a live one starts its expiry actions at once;
 * one that could not be revoked so far is tried again at once.
 */
export async function endGrant(ctx: ServiceContext, grantId: string, reason: EndReason, revokeInput?: unknown) {
  const me = requireMember(ctx);
  const note = reason === "revoked" ? revokeGrantInput.parse(revokeInput ?? {}).reason : null;
  const grant = await withMspTx(ctx.mspId, async (tx) => {
    const current = await getGrantInMsp(tx, ctx.mspId, grantId, { lock: true });
    if (!tokenMaySee(ctx, current.customerId)) throw new AppError("not_found", "Grant not found.");
    const own = current.memberId === me.memberId;
    if (reason === "ended_by_technician" && !own) throw new AppError("not_found", "Grant not found.");
    if (reason === "revoked" && !can(me.role, "grants:revoke")) throw forbidden();
    if (note && current.state !== "irrevocable") await recordActStep(tx, current, "revoke_requested", `${me.label}: ${note}`);
    const ending = { endReason: reason, endRequestedBy: me.memberId, revokeReason: note };
    if (current.state === "approved") {
      return transitionGrant(tx, ctx, current, "revoked", { ...ending, usableTo: new Date() }, { reason: note });
    }
    if (current.state === "active") {
      return transitionGrant(tx, ctx, current, "expiring", { ...ending, expiryStartedAt: new Date() }, { reason: note });
    }
    if (current.state === "provisioning") {
      // Taking access away while the account is still being made would race the provisioning job, so the
      // job finishes first, sees the request, and turns the grant to expiring itself.
      const [row] = await tx
        .update(grants)
        .set({ ...ending, updatedAt: new Date() })
        .where(and(eq(grants.id, current.id), eq(grants.mspId, ctx.mspId), eq(grants.state, "provisioning")))
        .returning();
      await recordAudit(tx, ctx, { action: "grant.end_requested", target: { type: "grant", id: current.id, label: current.upn }, reason: note, metadata: { reason } });
      return row!;
    }
    if (current.state === "irrevocable") {
      const [due] = await retryRevocationsNow(tx, ctx, { grantIds: [current.id] });
      return due!;
    }
    throw new AppError("conflict", `This grant is already ${current.state}.`);
  });
  if (grant.state === "expiring" || grant.state === "irrevocable") await scheduleExpiry(grant, { now: true });
  return grant;
}
