import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspIsolation, tstz } from "./_columns";
import { apiTokens } from "./api-tokens";
import { members } from "./members";
import { msps } from "./msps";

export const pairingStatuses = ["pending", "approved", "denied", "completed"] as const;
export type PairingStatus = (typeof pairingStatuses)[number];

/**
 * The browser extension's device-code pairing (RFC 8628 style; docs/extension-pairing.md). The extension
 * holds the device code and polls with it; a member types the user code in the console and approves.
 * Only the device code's keyed digest is stored, and the token is created when the extension collects
 * it, so no plaintext secret ever sits in this table.
 *
 * A pending row belongs to no MSP yet (msp_id null): the usual policy then shows it to system
 * transactions only. Answering it (approve or deny) assigns the member's MSP, and from then on the row
 * is that MSP's like any other.
 */
export const extensionPairings = pgTable(
  "extension_pairings",
  {
    id: text("id").primaryKey(),
    /** HMAC-SHA256 of the device code under the token digest key (lib/tokens/digest.ts), hex. */
    deviceCodeDigest: text("device_code_digest").notNull(),
    /** 8 characters of an unambiguous alphabet, stored without the dash (lib/extension/user-code.ts). */
    userCode: text("user_code").notNull(),
    status: text("status", { enum: pairingStatuses }).notNull().default("pending"),
    mspId: text("msp_id").references(() => msps.id, { onDelete: "cascade" }),
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    tokenId: text("token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    /** What the extension calls itself, e.g. "Chrome on Linux" (≤ 100 characters). */
    deviceLabel: text("device_label"),
    createdIp: text("created_ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    expiresAt: tstz("expires_at").notNull(),
    approvedAt: tstz("approved_at"),
    completedAt: tstz("completed_at"),
    lastPolledAt: tstz("last_polled_at"),
  },
  (t) => [
    uniqueIndex("extension_pairings_device_code_uq").on(t.deviceCodeDigest),
    // Expired rows wait for session.cleanup; the partial index keeps the codes members can still type unique.
    uniqueIndex("extension_pairings_live_user_code_uq").on(t.userCode).where(sql`${t.status} in ('pending', 'approved')`),
    index("extension_pairings_expires_idx").on(t.expiresAt),
    check("extension_pairings_owner_when_answered", sql`(${t.status} = 'pending') = (${t.mspId} is null and ${t.memberId} is null)`),
    mspIsolation("extension_pairings", t.mspId),
  ],
);

export type ExtensionPairing = typeof extensionPairings.$inferSelect;
