import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { approvalModes } from "@/lib/vocabulary/approval-modes";
import { memberRoles } from "@/lib/vocabulary/member-roles";
import { createdAt, mspId, mspIsolation, updatedAt } from "./_columns";
import { accessLevels } from "./access-levels";
import { customers } from "./customers";
import { msps } from "./msps";

/**
 * The conditions under which a delegated request is granted (lib/services/policies/resolve.ts picks the one
 * that applies). A policy with neither customer nor access level is the MSP's default; one with a customer
 * and no level covers every level on that customer, and one with a level and no customer covers that level
 * everywhere. Without any policy a request needs nothing beyond its delegation.
 */
export const accessPolicies = pgTable(
  "access_policies",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    name: text("name").notNull(),
    customerId: text("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    accessLevelId: text("access_level_id").references(() => accessLevels.id, { onDelete: "cascade" }),
    approval: text("approval", { enum: approvalModes }).notNull().default("never"),
    /** 1 or 2: with 2, two different members must approve. */
    approvalsRequired: integer("approvals_required").notNull().default(1),
    approverRoles: text("approver_roles", { enum: memberRoles }).array().notNull().default(sql`'{owner,admin}'::text[]`),
    approverTeamIds: text("approver_team_ids").array().notNull().default(sql`'{}'::text[]`),
    approverMemberIds: text("approver_member_ids").array().notNull().default(sql`'{}'::text[]`),
    /** How long a request waits for its approvals before it expires. */
    approvalExpiryMinutes: integer("approval_expiry_minutes").notNull().default(1440),
    emergencyAllowed: boolean("emergency_allowed").notNull().default(true),
    ticketRequired: boolean("ticket_required").notNull().default(false),
    /** A regular expression the whole ticket reference must match. */
    ticketPattern: text("ticket_pattern"),
    justificationMinLength: integer("justification_min_length").notNull().default(10),
    stepUpAtRequest: boolean("step_up_at_request").notNull().default(false),
    /**
     * The policy's hours, in the customer's time zone: ISO weekdays (1 = Monday) and a from–to time of day.
     * They either bound when requests are allowed (restrictToHours) or mark business hours (approval outside_hours).
     */
    hoursDays: integer("hours_days").array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
    hoursFrom: text("hours_from").notNull().default("08:00"),
    hoursTo: text("hours_to").notNull().default("18:00"),
    restrictToHours: boolean("restrict_to_hours").notNull().default(false),
    maxDurationMinutes: integer("max_duration_minutes"),
    consentText: text("consent_text"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("access_policies_scope_uq").on(t.mspId, sql`coalesce(${t.customerId}, '')`, sql`coalesce(${t.accessLevelId}, '')`),
    uniqueIndex("access_policies_msp_name_uq").on(t.mspId, sql`lower(${t.name})`),
    index("access_policies_msp_idx").on(t.mspId),
    mspIsolation("access_policies", t.mspId),
  ],
);

export type AccessPolicy = typeof accessPolicies.$inferSelect;
