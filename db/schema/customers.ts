import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { msps } from "./msps";
import { expiryActions } from "@/lib/vocabulary/expiry-actions";
import { signInMethods } from "@/lib/vocabulary/sign-in-methods";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "archived"] }).notNull().default("active"),
    /** Backed by the emulated tenant that `npm start` runs, for trying Stint without Microsoft. */
    isSandbox: boolean("is_sandbox").notNull().default(false),
    /** JIT account settings (lib/services/customers/schemas.ts validates them). */
    upnDomain: text("upn_domain"),
    namingTemplate: text("naming_template").notNull().default("stint-{technician}-{grant}"),
    defaultDurationMinutes: integer("default_duration_minutes").notNull().default(60),
    maxDurationMinutes: integer("max_duration_minutes").notNull().default(480),
    usageLocation: text("usage_location").notNull().default("US"),
    expiryActions: text("expiry_actions", { enum: expiryActions })
      .array()
      .notNull()
      .default(sql`'{remove_roles,remove_tap,revoke_sessions,disable,rotate_password}'::text[]`),
    /** How JIT accounts sign in: a Temporary Access Pass (passes Microsoft's MFA) or a password only. */
    signInMethod: text("sign_in_method", { enum: signInMethods }).notNull().default("tap"),
    /** When an admin chose the method; until then a (re)connection picks what the tenant allows. */
    signInMethodChosenAt: tstz("sign_in_method_chosen_at"),
    consentText: text("consent_text"),
    /** IANA time zone in which access policies read their hours. */
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    archivedAt: tstz("archived_at"),
  },
  (t) => [
    uniqueIndex("customers_msp_name_uq").on(t.mspId, sql`lower(${t.name})`),
    index("customers_msp_idx").on(t.mspId),
    mspIsolation("customers", t.mspId),
  ],
);

export type Customer = typeof customers.$inferSelect;
