import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation } from "./_columns";
import { members } from "./members";
import { msps } from "./msps";

/** A named group of members, to delegate to many at once. */
export const teams = pgTable(
  "teams",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("teams_msp_name_uq").on(t.mspId, sql`lower(${t.name})`), mspIsolation("teams", t.mspId)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    mspId: mspId(() => msps.id),
    teamId: text("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    memberId: text("member_id").notNull().references(() => members.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.memberId] }),
    index("team_members_member_idx").on(t.mspId, t.memberId),
    mspIsolation("team_members", t.mspId),
  ],
);

export type Team = typeof teams.$inferSelect;
