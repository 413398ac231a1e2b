import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";
import { memberRoles } from "@/lib/vocabulary/member-roles";
import { members } from "./members";

export const invites = pgTable(
  "invites",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    /** Set for a recovery invite: the member re-enrols and their old passkeys are removed. */
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    tokenDigest: text("token_digest").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [
    uniqueIndex("invites_token_digest_uq").on(t.tokenDigest),
    index("invites_msp_idx").on(t.mspId),
    mspIsolation("invites", t.mspId),
  ],
);

export type Invite = typeof invites.$inferSelect;
