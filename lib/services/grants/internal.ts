import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, customers, grantSteps, grants, type Grant } from "@/db/schema";
import { canTransition } from "@/lib/grants/states";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { AppError, notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit, type AuditInput } from "@/lib/services/audit/record";
import type { ServiceContext, TokenActor } from "@/lib/services/context";
import { hasCredential } from "./credential";

/**
 * A grant's access levels as [{ id, name }] in the grant's order, computed in the grant's own row of a
 * query (a correlated subquery): a list of grants gets its names in the same single round trip.
 */
export const grantAccessLevels = sql<{ id: string; name: string }[]>`coalesce((
  select json_agg(json_build_object('id', ${accessLevels.id}, 'name', ${accessLevels.name}) order by array_position(${grants.accessLevelIds}, ${accessLevels.id}))
  from ${accessLevels}
  where ${accessLevels.mspId} = ${grants.mspId} and ${accessLevels.id} = any(${grants.accessLevelIds})
), '[]'::json)`;

/** What the API shows with a grant besides its own columns: the customer's name and the access levels' names. */
export async function grantLabelsIn(tx: Tx, mspId: string, grantId: string) {
  const [row] = await tx
    .select({ customerName: customers.name, accessLevels: grantAccessLevels })
    .from(grants)
    .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
    .where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
  if (!row) throw notFound("Grant");
  return row;
}

export async function getGrantInMsp(tx: Tx, mspId: string, grantId: string, options: { lock?: boolean } = {}): Promise<Grant> {
  const query = tx.select().from(grants).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId))).limit(1);
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound("Grant");
  return row;
}

/**
 * Moves a grant along the state machine in the caller's transaction, only from the state the caller
 * saw (compare-and-set), and writes the audit event in the same transaction.
 */
export async function transitionGrant(
  tx: Tx,
  ctx: ServiceContext,
  grant: Grant,
  to: GrantState,
  patch: Partial<typeof grants.$inferInsert> = {},
  audit: Omit<AuditInput, "action" | "target"> = {},
): Promise<Grant> {
  if (!canTransition(grant.state, to)) throw new AppError("conflict", `A grant that is ${grant.state} cannot become ${to}.`);
  const [row] = await tx
    .update(grants)
    .set({ ...patch, state: to, updatedAt: new Date() })
    .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId), eq(grants.state, grant.state)))
    .returning();
  if (!row) throw new AppError("conflict", "The grant changed meanwhile. Reload and try again.");
  await recordAudit(tx, ctx, { ...audit, action: `grant.${to}`, target: { type: "grant", id: grant.id, label: grant.upn } });
  return row;
}

/** Records one timeline step (provisioning or expiry) as running; `finishStep` closes it. */
export async function startStep(tx: Tx, grant: Pick<Grant, "id" | "mspId">, step: string): Promise<string> {
  const id = newId("grantStep");
  await tx.insert(grantSteps).values({ id, mspId: grant.mspId, grantId: grant.id, step, status: "running" });
  return id;
}

export async function finishStep(tx: Tx, mspId: string, stepId: string, status: "succeeded" | "failed", detail?: string, data?: Record<string, unknown>) {
  await tx
    .update(grantSteps)
    .set({ status, finishedAt: new Date(), detail: detail ?? null, ...(data ? { data } : {}) })
    .where(and(eq(grantSteps.id, stepId), eq(grantSteps.mspId, mspId)));
}

/**
 * Closes one timeline step as succeeded and opens the next, in one statement: the grant's steps follow each
 * other without a gap, and provisioning's bookkeeping costs one database round trip per step.
 */
export async function advanceStep(tx: Tx, grant: Pick<Grant, "id" | "mspId">, finished: { id: string; detail: string }, next: string): Promise<string> {
  const id = newId("grantStep");
  await tx.execute(sql`
    with finished as (
      update ${grantSteps} set status = 'succeeded', finished_at = clock_timestamp(), detail = ${finished.detail}
      where ${grantSteps.id} = ${finished.id} and ${grantSteps.mspId} = ${grant.mspId}
    )
    insert into ${grantSteps} (id, msp_id, grant_id, step, status, started_at)
    values (${id}, ${grant.mspId}, ${grant.id}, ${next}, 'running', clock_timestamp())`);
  return id;
}

/** A text[] literal of bound parameters (drizzle spreads a bare array into a row). */
export function textArray(values: string[]): SQL {
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

/** An access token restricted to some customers acts only on their grants. */
export function tokenMaySee(ctx: ServiceContext, customerId: string): boolean {
  return ctx.actor.type !== "token" || ctx.actor.customerIds === null || ctx.actor.customerIds.includes(customerId);
}

/** A grant whose credential may be read now: active, holding the secret its sign-in method uses. */
export function requireRevealable(grant: Grant): Grant {
  if (grant.state !== "active" || !hasCredential(grant)) throw new AppError("conflict", `There is no credential to reveal: the grant is ${grant.state}.`);
  return grant;
}

/**
 * The grant whose credential a token may read: the token owner's own grant (another member's is "not
 * found", even for an admin), within the token's customer restriction, active with its secret sealed.
 * Shared by the token credential read and launch-ticket redemption; the caller audits and unseals.
 */
export async function tokenOwnersCredentialGrant(tx: Tx, mspId: string, actor: TokenActor, grantId: string): Promise<Grant> {
  const grant = await getGrantInMsp(tx, mspId, grantId).catch(() => null);
  if (!grant || grant.memberId !== actor.memberId) throw notFound("Grant");
  if (actor.customerIds !== null && !actor.customerIds.includes(grant.customerId)) throw notFound("Grant");
  return requireRevealable(grant);
}
