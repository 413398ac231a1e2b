import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { grants } from "./grants";
import { msps } from "./msps";

/**
 * The grant's timeline: each provisioning and expiry step with when it started and ended and how
 * (the per-step exposure record, and what the UI shows live).
 */
export const grantSteps = pgTable(
  "grant_steps",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    grantId: text("grant_id").notNull().references(() => grants.id, { onDelete: "cascade" }),
    step: text("step").notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull(),
    startedAt: tstz("started_at").notNull().defaultNow(),
    finishedAt: tstz("finished_at"),
    detail: text("detail"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("grant_steps_grant_idx").on(t.mspId, t.grantId, t.startedAt), mspIsolation("grant_steps", t.mspId)],
);

export type GrantStep = typeof grantSteps.$inferSelect;
