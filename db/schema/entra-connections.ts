import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { customers } from "./customers";
import { msps } from "./msps";
import { entraClouds } from "@/lib/vocabulary/entra-clouds";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

export type RoleDefinitionSummary = { templateId: string; displayName: string; isBuiltIn: boolean };

/** A customer's Entra ID tenant, linked by admin consent and verified by reading Graph. */
export const entraConnections = pgTable(
  "entra_connections",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    cloud: text("cloud", { enum: entraClouds }).notNull(),
    status: text("status", { enum: ["connected", "disconnected"] }).notNull(),
    tenantId: text("tenant_id").notNull(),
    tenantName: text("tenant_name").notNull(),
    verifiedDomains: text("verified_domains").array().notNull().default([]),
    defaultDomain: text("default_domain"),
    /** The tenant's directory role catalog as read at the last check. */
    roleDefinitions: jsonb("role_definitions").$type<RoleDefinitionSummary[]>().notNull().default([]),
    grantedPermissions: text("granted_permissions").array().notNull().default([]),
    /** The tenant's Temporary Access Pass policy as last read; null until Stint may and did read it. */
    tapPolicy: jsonb("tap_policy").$type<TapPolicy>(),
    tapPolicyReadAt: tstz("tap_policy_read_at"),
    healthOk: boolean("health_ok").notNull().default(true),
    healthDetail: text("health_detail"),
    healthCheckedAt: tstz("health_checked_at"),
    /** Since when the checks have failed without a break: how soon the next one comes grows with it. */
    unhealthySince: tstz("unhealthy_since"),
    connectedBy: text("connected_by"),
    connectedAt: tstz("connected_at").notNull().defaultNow(),
    /**
     * A disconnect waiting for the customer's live grants to be taken away: the connection stays usable
     * for their expiry, refuses new grants, and becomes disconnected when the last one has ended.
     */
    disconnectRequestedAt: tstz("disconnect_requested_at"),
    disconnectRequestedBy: text("disconnect_requested_by"),
    disconnectedAt: tstz("disconnected_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("entra_connections_customer_uq").on(t.customerId),
    index("entra_connections_tenant_idx").on(t.mspId, t.tenantId),
    // One live connection per tenant in the whole installation: a consent answer that names a tenant
    // already connected (by this MSP or another) can never bind it a second time.
    uniqueIndex("entra_connections_tenant_connected_uq").on(t.tenantId).where(sql`${t.status} = 'connected'`),
    mspIsolation("entra_connections", t.mspId),
  ],
);

export type EntraConnection = typeof entraConnections.$inferSelect;
