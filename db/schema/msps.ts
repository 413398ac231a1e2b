import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, mspIsolation } from "./_columns";

export const msps = pgTable(
  "msps",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [mspIsolation("msps", t.id)],
);

export type Msp = typeof msps.$inferSelect;
