import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { msps } from "./msps";
import { memberRoles } from "@/lib/vocabulary/member-roles";

export const members = pgTable(
  "members",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: memberRoles }).notNull(),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    /** WebAuthn user handle: random and opaque, never the email, since authenticators store it and may show it (WebAuthn §14.6.1). */
    webauthnUserId: text("webauthn_user_id").notNull(),
    /** IANA zone the console shows times in; null follows the browser's. */
    timeZone: text("time_zone"),
    disabledAt: tstz("disabled_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("members_msp_email_uq").on(t.mspId, t.email),
    uniqueIndex("members_webauthn_user_id_uq").on(t.webauthnUserId),
    index("members_msp_id_idx").on(t.mspId),
    mspIsolation("members", t.mspId),
  ],
);

export type Member = typeof members.$inferSelect;
