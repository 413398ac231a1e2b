import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, customers, grants, members, notificationOutbox } from "@/db/schema";
import { appOrigin } from "@/lib/env";
import { newId } from "@/lib/ids";
import type { GrantSnapshot, NotificationPayload } from "@/lib/vocabulary/notification-payload";
import type { ServiceContext } from "@/lib/services/context";
import type { OutboxEvent } from "@/lib/vocabulary/notification-events";

/** Postgres delivers a NOTIFY only when its transaction commits: the worker wakes for committed events only. */
export const outboxChannel = "stint_notification_outbox";

export type OutboxInput = {
  event: OutboxEvent;
  grantId?: string | null;
  customerId?: string | null;
  memberIds?: string[];
  /** Add the grant's requester to memberIds. */
  toRequester?: boolean;
  toAdmins?: boolean;
  reason?: string | null;
  details?: Record<string, string | number>;
  dedupeKey?: string;
  endpointId?: string;
  /** Where the message links to, when not the grant or customer page. */
  path?: string;
};

function actorLabel(ctx: ServiceContext): string {
  const a = ctx.actor;
  return a.type === "system" ? `Stint (${a.job})` : a.label;
}

async function grantSnapshot(tx: Tx, mspId: string, grantId: string): Promise<GrantSnapshot | null> {
  const [row] = await tx
    .select({ grant: grants, customerName: customers.name, memberName: members.displayName, memberEmail: members.email })
    .from(grants)
    .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
    .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
    .where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
  if (!row) return null;
  const g = row.grant;
  const levels = g.accessLevelIds.length
    ? await tx.select({ name: accessLevels.name }).from(accessLevels).where(and(eq(accessLevels.mspId, mspId), inArray(accessLevels.id, g.accessLevelIds)))
    : [];
  return {
    id: g.id,
    state: g.state,
    upn: g.upn,
    member: { id: g.memberId, name: row.memberName, email: row.memberEmail },
    customer: { id: g.customerId, name: row.customerName },
    accessLevels: levels.map((l) => l.name).sort(),
    durationMinutes: g.durationMinutes,
    justification: g.justification,
    ticketRef: g.ticketRef,
    startAt: g.startAt.toISOString(),
    endsAt: g.endsAt?.toISOString() ?? null,
  };
}

/**
 * Writes one event to the outbox in the caller's transaction, with its payload frozen as things stand now.
 * With a dedupeKey already used, nothing is written (returns null).
 */
export async function enqueueNotification(tx: Tx, ctx: ServiceContext, input: OutboxInput): Promise<string | null> {
  const grant = input.grantId ? await grantSnapshot(tx, ctx.mspId, input.grantId) : null;
  let customer = grant?.customer ?? null;
  if (!customer && input.customerId) {
    const [row] = await tx
      .select({ id: customers.id, name: customers.name })
      .from(customers)
      .where(and(eq(customers.id, input.customerId), eq(customers.mspId, ctx.mspId)));
    customer = row ?? null;
  }
  const path = input.path ?? (grant ? `/grants/${grant.id}` : customer ? `/customers/${customer.id}` : "/overview");
  const memberIds = new Set(input.memberIds ?? []);
  if (input.toRequester && grant) memberIds.add(grant.member.id);
  const id = newId("notification");
  const payload: NotificationPayload = {
    type: input.event,
    timestamp: new Date().toISOString(),
    data: { actor: actorLabel(ctx), reason: input.reason ?? null, grant, customer, url: new URL(path, appOrigin).toString(), details: input.details ?? {} },
  };
  const written = await tx
    .insert(notificationOutbox)
    .values({
      id,
      mspId: ctx.mspId,
      event: input.event,
      grantId: grant?.id ?? null,
      customerId: customer?.id ?? null,
      payload,
      memberIds: [...memberIds],
      toAdmins: input.toAdmins ?? false,
      dedupeKey: input.dedupeKey ?? null,
      endpointId: input.endpointId ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: notificationOutbox.id });
  if (!written.length) return null;
  await tx.execute(sql`select pg_notify(${outboxChannel}, ${`${ctx.mspId}:${id}`})`);
  return id;
}
