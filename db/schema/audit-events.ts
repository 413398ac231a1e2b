import { bigint, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";

export const auditActorTypes = ["member", "token", "system", "anonymous"] as const;

/**
 * Append-only and hash-chained per MSP: hash = SHA-256(prev_hash || canonical JSON of the event).
 * The app role may only INSERT and SELECT here (see the grants migration).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    occurredAt: tstz("occurred_at").notNull(),
    actorType: text("actor_type", { enum: auditActorTypes }).notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    result: text("result", { enum: ["success", "failure"] }).notNull(),
    reason: text("reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_events_msp_seq_uq").on(t.mspId, t.seq),
    index("audit_events_msp_time_idx").on(t.mspId, t.occurredAt),
    mspIsolation("audit_events", t.mspId),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
