import { sql } from "drizzle-orm";
import { boolean, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { customers } from "./customers";
import { msps } from "./msps";

/** A named bundle of Entra directory roles, by role template id. Defined per MSP. */
export const accessLevels = pgTable(
  "access_levels",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    roleTemplateIds: text("role_template_ids").array().notNull(),
    /** Powerful enough that a policy may ask for approval only for such levels. */
    privileged: boolean("privileged").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    archivedAt: tstz("archived_at"),
  },
  (t) => [
    uniqueIndex("access_levels_msp_name_uq").on(t.mspId, sql`lower(${t.name})`),
    mspIsolation("access_levels", t.mspId),
  ],
);

/** Which access levels can be requested on which customer. */
export const customerAccessLevels = pgTable(
  "customer_access_levels",
  {
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    accessLevelId: text("access_level_id").notNull().references(() => accessLevels.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.accessLevelId] }),
    index("customer_access_levels_msp_idx").on(t.mspId),
    mspIsolation("customer_access_levels", t.mspId),
  ],
);

export type AccessLevel = typeof accessLevels.$inferSelect;
