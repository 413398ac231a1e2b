import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";
import { tokenTypes } from "@/lib/vocabulary/token-types";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { members } from "./members";
import { msps } from "./msps";

export const tokenRevokeReasons = ["owner", "admin", "leaked", "owner_disabled"] as const;

/**
 * Personal (and extension) access tokens. The token itself is never stored: only its keyed digest
 * (lib/tokens/digest.ts) and a display hint. Expiry is mandatory; a revoked or expired token is dead for good.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    memberId: text("member_id").notNull().references(() => members.id, { onDelete: "cascade" }),
    type: text("type", { enum: tokenTypes }).notNull(),
    name: text("name").notNull(),
    /** HMAC-SHA256 of the token under the server's digest key, hex. */
    tokenDigest: text("token_digest").notNull(),
    /** Prefix and last four characters ("stp_…x9Qa"), to recognise a token in lists. */
    hint: text("hint").notNull(),
    scopes: text("scopes").array().$type<TokenScope[]>().notNull(),
    /** null: every customer the owner may see; otherwise at most these. */
    customerIds: text("customer_ids").array().$type<string[]>(),
    /** null: from anywhere; otherwise only from these CIDR blocks (normalised, IPv4 and IPv6). */
    allowedCidrs: text("allowed_cidrs").array().$type<string[]>(),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: createdAt(),
    createdIp: text("created_ip"),
    /** Written at most every few minutes, not on every request. */
    lastUsedAt: tstz("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    revokedAt: tstz("revoked_at"),
    /** The member who revoked it; null for a leaked-token report. */
    revokedBy: text("revoked_by"),
    revokeReason: text("revoke_reason", { enum: tokenRevokeReasons }),
  },
  (t) => [
    uniqueIndex("api_tokens_digest_uq").on(t.tokenDigest),
    index("api_tokens_member_idx").on(t.mspId, t.memberId),
    mspIsolation("api_tokens", t.mspId),
  ],
);

export type ApiToken = typeof apiTokens.$inferSelect;
