import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { customers } from "./customers";
import { members } from "./members";
import { msps } from "./msps";

/**
 * A request whose hooks asked the technician questions, between rounds: the round count (bounded, and kept
 * here so a replayed earlier round cannot reset it) and the hooks' cookies and verdicts so far, sealed
 * (context "hook-conversation:<id>:state"). Answers are never kept: the technician sends them each round.
 */
export const hookConversations = pgTable(
  "hook_conversations",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    memberId: text("member_id").notNull().references(() => members.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    round: integer("round").notNull().default(1),
    stateEnvelope: text("state_envelope").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("hook_conversations_member_idx").on(t.mspId, t.memberId), mspIsolation("hook_conversations", t.mspId)],
);

export type HookConversation = typeof hookConversations.$inferSelect;
