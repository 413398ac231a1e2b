import { desc, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { ServiceContext } from "@/lib/services/context";
import { enqueueNotification } from "@/lib/services/notifications/enqueue";
import { eventForAudit } from "@/lib/services/notifications/events";
import { GENESIS_HASH, chainHash, storedText } from "./canonical";

export type AuditInput = {
  action: string;
  result?: "success" | "failure";
  target?: { type: string; id: string; label?: string | null };
  reason?: string | null;
  metadata?: Record<string, unknown>;
};

/** Text as it will be stored, in NFC; deep through metadata (keys too). */
function storable<T>(value: T): T {
  if (typeof value === "string") return storedText(value).normalize("NFC") as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
  }
  return value;
}

/**
 * Appends one event to the MSP's hash chain inside the caller's transaction, so the change and its
 * record commit together or not at all. A per-MSP advisory lock serialises writers: the chain never forks.
 * Text is made storable first (no lone surrogates, no NUL, NFC), so the hash is taken over exactly what the
 * row holds and a hostile string never costs the record: a refusal is still written down. An action that
 * notifies (lib/services/notifications/events.ts) writes its outbox row here too, in the same transaction.
 */
export async function recordAudit(tx: Tx, ctx: ServiceContext, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${ctx.mspId}`}, 0))`);
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.mspId, ctx.mspId))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  const [{ now }] = (await tx.execute(sql`select date_trunc('milliseconds', clock_timestamp()) as now`)) as unknown as [
    { now: string | Date },
  ];
  const actor = ctx.actor;
  const fields = storable({
    mspId: ctx.mspId,
    seq: (last?.seq ?? 0) + 1,
    occurredAt: new Date(now),
    actorType: actor.type,
    // A token's actions are its owner's: the member id stays the actor, the token is named in metadata.
    actorId: actor.type === "member" || actor.type === "token" ? actor.memberId : actor.type === "system" ? actor.job : null,
    actorLabel: actor.type === "system" ? `job ${actor.job}` : actor.label,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    targetLabel: input.target?.label ?? null,
    result: input.result ?? "success",
    reason: input.reason ?? null,
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent,
    metadata: actor.type === "token" ? { ...input.metadata, viaToken: actor.tokenId } : (input.metadata ?? {}),
  });
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditEvents).values({
    id: newId("audit"),
    ...fields,
    actorType: actor.type,
    result: fields.result as "success" | "failure",
    prevHash,
    hash: chainHash(prevHash, fields),
  });
  const notify = eventForAudit(input);
  if (notify) {
    const grantId = input.target?.type === "grant" ? input.target.id : null;
    const customerId = input.target?.type === "customer" ? input.target.id : null;
    await enqueueNotification(tx, ctx, {
      event: notify.event,
      grantId,
      customerId,
      memberIds: notify.memberIds,
      toRequester: notify.requesterFromGrant,
      toAdmins: notify.toAdmins,
      reason: input.reason ?? null,
      details: notificationDetails(input),
      path: notify.path,
    });
  }
}

/** The audit facts worth repeating in a message. */
function notificationDetails(input: AuditInput): Record<string, string | number> {
  const m = input.metadata ?? {};
  const details: Record<string, string | number> = {};
  if (typeof m.grants === "number") details["Grants ended"] = m.grants;
  if (input.action === "notification.endpoint_disabled" && input.target?.label) details.Endpoint = input.target.label;
  return details;
}
