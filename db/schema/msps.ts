import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, mspIsolation } from "./_columns";

export const msps = pgTable(
  "msps",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The longest lifetime an access token of this MSP may be given (mandatory expiry, at most a year). */
    tokenMaxDays: integer("token_max_days").notNull().default(90),
    createdAt: createdAt(),
  },
  (t) => [mspIsolation("msps", t.id), check("msps_token_max_days_range", sql`${t.tokenMaxDays} between 1 and 365`)],
);

export type Msp = typeof msps.$inferSelect;
