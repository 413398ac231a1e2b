import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { customers } from "./customers";
import { msps } from "./msps";

/**
 * Stint-tagged Entra accounts found without a live grant (orphan reconciliation), and what was done
 * about them; shown in the console.
 */
export const orphanAccounts = pgTable(
  "orphan_accounts",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    entraUserId: text("entra_user_id").notNull(),
    userPrincipalName: text("user_principal_name").notNull(),
    grantId: text("grant_id"),
    foundAt: tstz("found_at").notNull().defaultNow(),
    disabledAt: tstz("disabled_at"),
    detail: text("detail"),
  },
  (t) => [
    uniqueIndex("orphan_accounts_user_uq").on(t.mspId, t.entraUserId),
    index("orphan_accounts_msp_idx").on(t.mspId, t.foundAt),
    mspIsolation("orphan_accounts", t.mspId),
  ],
);

export type OrphanAccount = typeof orphanAccounts.$inferSelect;
