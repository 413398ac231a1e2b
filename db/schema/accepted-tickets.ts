import { index, pgTable, text } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";

/**
 * The accepted-tickets repository (Airlock's "Persistent Accepted SSO Tickets Repository"): one row per
 * launch ticket redeemed, keyed by the ticket's jti. Redemption is a single
 * `insert … on conflict do nothing returning` of the jti; no row back means the ticket was already used,
 * on this instance or any other. Rows are kept past the ticket's expiry (then the signature check refuses
 * it anyway) and deleted by the session.cleanup job. Never holds a password or the ticket itself.
 */
export const acceptedTickets = pgTable(
  "accepted_tickets",
  {
    jti: text("jti").primaryKey(),
    mspId: mspId(() => msps.id),
    grantId: text("grant_id").notNull(),
    memberId: text("member_id").notNull(),
    tokenId: text("token_id").notNull(),
    acceptedAt: tstz("accepted_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [index("accepted_tickets_expires_idx").on(t.expiresAt), mspIsolation("accepted_tickets", t.mspId)],
);

export type AcceptedTicket = typeof acceptedTickets.$inferSelect;
