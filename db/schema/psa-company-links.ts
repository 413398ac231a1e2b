import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation } from "./_columns";
import { customers } from "./customers";
import { members } from "./members";
import { msps } from "./msps";
import { psaConnections } from "./psa-connections";

/** Which PSA company (client) a Stint customer is, as an admin confirmed it: a ticket must belong to it. */
export const psaCompanyLinks = pgTable(
  "psa_company_links",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    psaConnectionId: text("psa_connection_id").notNull().references(() => psaConnections.id, { onDelete: "cascade" }),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    companyId: text("company_id").notNull(),
    /** The company's name when it was confirmed, to show without asking the PSA. */
    companyName: text("company_name").notNull(),
    confirmedBy: text("confirmed_by").notNull().references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("psa_company_links_customer_uq").on(t.psaConnectionId, t.customerId),
    index("psa_company_links_msp_idx").on(t.mspId),
    mspIsolation("psa_company_links", t.mspId),
  ],
);

export type PsaCompanyLink = typeof psaCompanyLinks.$inferSelect;
