import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";
import { members } from "./members";

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    memberId: text("member_id").notNull().references(() => members.id, { onDelete: "cascade" }),
    /** SHA-256 of the cookie value; the value itself is never stored. */
    tokenDigest: text("token_digest").notNull(),
    passkeyId: text("passkey_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
    /** Last fresh passkey assertion in this session (step-up for sensitive actions). */
    steppedUpAt: tstz("stepped_up_at"),
    endedAt: tstz("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [
    uniqueIndex("sessions_token_digest_uq").on(t.tokenDigest),
    index("sessions_member_idx").on(t.mspId, t.memberId),
    mspIsolation("sessions", t.mspId),
  ],
);

export type Session = typeof sessions.$inferSelect;
