import { and, asc, desc, eq, gte } from "drizzle-orm";
import { auditCheckpoints, auditEvents, grantSteps } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { getGrantInMsp } from "./grant-row";
import { grantLabelsIn } from "./label";
import { tokenMaySee } from "./token-restriction";

/**
 * Everything that proves what one grant did, as one document: the grant (never a secret), each step of its
 * timeline with what reading Graph back showed, and its audit events with their place in the MSP's hash
 * chain (seq, previous hash, hash) and the first sealed checkpoint that covers them, so the events can be
 * checked against the chain (npm run audit:verify) without trusting this file. Reading it is audited.
 */
export async function readGrantEvidence(ctx: ServiceContext, grantId: string) {
  requirePermission(ctx, "audit:read");
  requirePermission(ctx, "grants:read_all");
  return withMspTx(ctx.mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, ctx.mspId, grantId);
    if (!tokenMaySee(ctx, grant.customerId)) throw notFound("Grant");
    const { passwordEnvelope: _password, tapEnvelope: _tap, leaseHolder: _holder, leaseUntil: _until, ...safe } = grant;
    const labels = await grantLabelsIn(tx, ctx.mspId, grant.id);
    const steps = await tx
      .select({ step: grantSteps.step, status: grantSteps.status, startedAt: grantSteps.startedAt, finishedAt: grantSteps.finishedAt, detail: grantSteps.detail, data: grantSteps.data })
      .from(grantSteps)
      .where(and(eq(grantSteps.grantId, grant.id), eq(grantSteps.mspId, ctx.mspId)))
      .orderBy(asc(grantSteps.startedAt));
    const events = await tx
      .select({
        seq: auditEvents.seq, occurredAt: auditEvents.occurredAt, actorType: auditEvents.actorType, actorId: auditEvents.actorId, actorLabel: auditEvents.actorLabel,
        action: auditEvents.action, result: auditEvents.result, reason: auditEvents.reason, ip: auditEvents.ip, metadata: auditEvents.metadata,
        prevHash: auditEvents.prevHash, hash: auditEvents.hash,
      })
      .from(auditEvents)
      .where(and(eq(auditEvents.mspId, ctx.mspId), eq(auditEvents.targetType, "grant"), eq(auditEvents.targetId, grant.id)))
      .orderBy(asc(auditEvents.seq));
    const lastSeq = events.at(-1)?.seq ?? 0;
    const [checkpoint] = await tx
      .select({ n: auditCheckpoints.n, seq: auditCheckpoints.seq, hash: auditCheckpoints.hash, sealedAt: auditCheckpoints.sealedAt, mac: auditCheckpoints.mac })
      .from(auditCheckpoints)
      .where(and(eq(auditCheckpoints.mspId, ctx.mspId), gte(auditCheckpoints.seq, lastSeq)))
      .orderBy(asc(auditCheckpoints.seq))
      .limit(1);
    const [head] = await tx.select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.mspId, ctx.mspId)).orderBy(desc(auditEvents.seq)).limit(1);
    await recordAudit(tx, ctx, { action: "grant.evidence_exported", target: { type: "grant", id: grant.id, label: grant.upn } });
    return {
      exportedAt: new Date(),
      grant: { ...safe, ...labels },
      timeline: steps,
      audit: { events, chainHead: head ?? null, sealedBy: checkpoint ?? null },
    };
  });
}
