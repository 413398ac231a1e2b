import { bigint, boolean, index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";
import { members } from "./members";

export const passkeys = pgTable(
  "passkeys",
  {
    /** The WebAuthn credential id (base64url). Globally unique: a credential is registered once, ever. */
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    memberId: text("member_id").notNull().references(() => members.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    aaguid: text("aaguid"),
    backupEligible: boolean("backup_eligible").notNull(),
    backedUp: boolean("backed_up").notNull(),
    createdAt: createdAt(),
    lastUsedAt: tstz("last_used_at"),
  },
  (t) => [index("passkeys_member_idx").on(t.mspId, t.memberId), mspIsolation("passkeys", t.mspId)],
);

export type Passkey = typeof passkeys.$inferSelect;
