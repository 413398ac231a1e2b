import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation } from "./_columns";
import { accessLevels } from "./access-levels";
import { customers } from "./customers";
import { members } from "./members";
import { msps } from "./msps";
import { teams } from "./teams";

/**
 * "Member or team M may request access levels L on customer C (or on every customer) for at most D."
 * Exactly one of member_id and team_id is set; customer_id null means all customers.
 */
export const delegations = pgTable(
  "delegations",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    teamId: text("team_id").references(() => teams.id, { onDelete: "cascade" }),
    customerId: text("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    maxDurationMinutes: integer("max_duration_minutes").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("delegations_one_subject", sql`(${t.memberId} is null) <> (${t.teamId} is null)`),
    index("delegations_member_idx").on(t.mspId, t.memberId),
    index("delegations_team_idx").on(t.mspId, t.teamId),
    index("delegations_customer_idx").on(t.mspId, t.customerId),
    mspIsolation("delegations", t.mspId),
  ],
);

export const delegationAccessLevels = pgTable(
  "delegation_access_levels",
  {
    mspId: mspId(() => msps.id),
    delegationId: text("delegation_id").notNull().references(() => delegations.id, { onDelete: "cascade" }),
    accessLevelId: text("access_level_id").notNull().references(() => accessLevels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.delegationId, t.accessLevelId] }), mspIsolation("delegation_access_levels", t.mspId)],
);

export type Delegation = typeof delegations.$inferSelect;
