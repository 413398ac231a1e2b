import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./_columns";

/** Installation-wide facts, e.g. `setup`: written once when the first MSP is created; closes setup for good. */
export const systemState = pgTable("system_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});
