import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { customers } from "./customers";
import { msps } from "./msps";

/**
 * An admin-consent round trip in flight: the `state` Stint sent (stored as a digest) binds the answer
 * to the customer and the member who started it. Used once; expires after 15 minutes.
 */
export const consentRequests = pgTable(
  "consent_requests",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    memberId: text("member_id").notNull(),
    stateDigest: text("state_digest").notNull(),
    createdAt: createdAt(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
  },
  (t) => [uniqueIndex("consent_requests_state_uq").on(t.stateDigest), mspIsolation("consent_requests", t.mspId)],
);

export type ConsentRequest = typeof consentRequests.$inferSelect;
