import { and, asc, eq, sql } from "drizzle-orm";
import { auditEvents, customers, grantSteps, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { can } from "@/lib/auth/permissions";
import { grantActs } from "@/lib/grants/timeline-acts";
import { notFound } from "@/lib/errors";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { hasCredential } from "./credential";
import { getGrantInMsp } from "./grant-row";
import { grantLabelsIn } from "./label";
import { tokenMaySee } from "./token-restriction";

/**
 * One grant with its timeline (requested → provisioned → each expiry step, with times) and the acts of
 * people on it (revealed, extended, approved, ended…) from its audit events, for its owner or for roles
 * that see every grant. Never a secret.
 */
export async function getGrant(ctx: ServiceContext, grantId: string) {
  const me = requireMember(ctx);
  return withMspTx(ctx.mspId, async (tx) => {
    const grant = await getGrantInMsp(tx, ctx.mspId, grantId).catch(() => null);
    if (!grant || (grant.memberId !== me.memberId && !can(me.role, "grants:read_all"))) throw notFound("Grant");
    if (!tokenMaySee(ctx, grant.customerId)) throw notFound("Grant");
    const [customer] = await tx.select({ name: customers.name, isSandbox: customers.isSandbox }).from(customers).where(and(eq(customers.id, grant.customerId), eq(customers.mspId, ctx.mspId)));
    const [member] = await tx.select({ name: members.displayName, email: members.email }).from(members).where(and(eq(members.id, grant.memberId), eq(members.mspId, ctx.mspId)));
    const { accessLevels } = await grantLabelsIn(tx, ctx.mspId, grant.id);
    const steps = await tx.select().from(grantSteps).where(and(eq(grantSteps.grantId, grant.id), eq(grantSteps.mspId, ctx.mspId))).orderBy(asc(grantSteps.startedAt));
    // People by name where they are still members; the label the event kept (an e-mail address) otherwise.
    const events = await tx
      .select({
        id: auditEvents.id, action: auditEvents.action, occurredAt: auditEvents.occurredAt, actorType: auditEvents.actorType,
        actorLabel: sql<string | null>`coalesce(${members.displayName}, ${auditEvents.actorLabel})`, reason: auditEvents.reason, metadata: auditEvents.metadata,
      })
      .from(auditEvents)
      .leftJoin(members, and(eq(members.id, auditEvents.actorId), eq(members.mspId, auditEvents.mspId)))
      .where(and(eq(auditEvents.mspId, ctx.mspId), eq(auditEvents.targetType, "grant"), eq(auditEvents.targetId, grant.id)))
      .orderBy(asc(auditEvents.seq));
    const { passwordEnvelope: _password, tapEnvelope: _tap, ...safe } = grant;
    return { grant: { ...safe, hasCredential: hasCredential(grant), customerName: customer!.name, isSandbox: customer!.isSandbox, memberName: member!.name, memberEmail: member!.email, accessLevels }, customer: customer!, member: member!, steps, acts: grantActs(events) };
  });
}
