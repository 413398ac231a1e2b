import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { expiryActions } from "@/lib/vocabulary/expiry-actions";
import { grantEndReasons } from "@/lib/vocabulary/grant-end-reasons";
import { grantStates } from "@/lib/vocabulary/grant-states";
import { signInMethods } from "@/lib/vocabulary/sign-in-methods";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { customers } from "./customers";
import { members } from "./members";
import { msps } from "./msps";

/**
 * An accepted access request and its JIT account. The row is the truth about the account's life:
 * the worker's timers and sweeps only act on what it says (its states: lib/vocabulary/grant-states.ts).
 */
export const grants = pgTable(
  "grants",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id),
    memberId: text("member_id").notNull().references(() => members.id),
    state: text("state", { enum: grantStates }).notNull(),
    accessLevelIds: text("access_level_ids").array().notNull(),
    /** The roles at request time; later edits of the access levels do not change a running grant. */
    roleTemplateIds: text("role_template_ids").array().notNull(),
    expiryActions: text("expiry_actions", { enum: expiryActions }).array().notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    justification: text("justification").notNull(),
    ticketRef: text("ticket_ref"),
    consentAcceptedAt: tstz("consent_accepted_at"),
    /** The consent text as accepted: later edits of the customer or policy never change what was agreed. */
    consentText: text("consent_text"),
    /** The access policy that decided the request (null: none applied). */
    policyId: text("policy_id"),
    /** Approvals the request needs (0: none) and who gave them, in order. */
    approvalsRequired: integer("approvals_required").notNull().default(0),
    approvedBy: text("approved_by").array().notNull().default(sql`'{}'::text[]`),
    /** The members who may approve, fixed at request time; never the requester. */
    approverIds: text("approver_ids").array().notNull().default(sql`'{}'::text[]`),
    approvalExpiresAt: tstz("approval_expires_at"),
    /** Why an approver denied the request. */
    denialReason: text("denial_reason"),
    decidedAt: tstz("decided_at"),
    /** Break glass: approval skipped, to be reviewed by an approver afterwards. */
    emergency: boolean("emergency").notNull().default(false),
    reviewedBy: text("reviewed_by"),
    reviewedAt: tstz("reviewed_at"),
    /** Scheduled start; provisioning begins then, and the timer starts when the account is usable. */
    startAt: tstz("start_at").notNull(),
    upn: text("upn").notNull(),
    displayName: text("display_name").notNull(),
    entraTenantId: text("entra_tenant_id").notNull(),
    entraUserId: text("entra_user_id"),
    /** How the account signs in, fixed when the grant is made. */
    signInMethod: text("sign_in_method", { enum: signInMethods }).notNull().default("password"),
    /**
     * The JIT password, envelope-encrypted (lib/crypto/envelope.ts) with context "grant:<id>:password".
     * Kept only for the password method; a pass-method account gets a password nobody keeps.
     */
    passwordEnvelope: text("password_envelope"),
    /** The current Temporary Access Pass, sealed with context "grant:<id>:tap", its Graph id and its end. */
    tapEnvelope: text("tap_envelope"),
    tapMethodId: text("tap_method_id"),
    tapExpiresAt: tstz("tap_expires_at"),
    /** Why the last renewal of the pass failed for good; new sign-ins stop at tapExpiresAt. */
    tapRenewalError: text("tap_renewal_error"),
    usableFrom: tstz("usable_from"),
    endsAt: tstz("ends_at"),
    extendedMinutes: integer("extended_minutes").notNull().default(0),
    endReason: text("end_reason", { enum: grantEndReasons }),
    endRequestedBy: text("end_requested_by"),
    /** Why an owner or admin took the grant away, as they wrote it; shown to the technician. */
    revokeReason: text("revoke_reason"),
    expiryStartedAt: tstz("expiry_started_at"),
    /** When the last expiry step was verified in Graph: the account's actual end of exposure. */
    usableTo: tstz("usable_to"),
    expiryAttempts: integer("expiry_attempts").notNull().default(0),
    nextExpiryAttemptAt: tstz("next_expiry_attempt_at"),
    failureReason: text("failure_reason"),
    /** Ids of the role assignments provisioning created: removed by id, even while Graph's lists do not show them yet. */
    roleAssignmentIds: text("role_assignment_ids").array().notNull().default(sql`'{}'::text[]`),
    /**
     * Which run works on the grant (a job's id) and until when: renewed while it works, pushed to the next retry
     * when it waits. A lapsed lease means its worker died or its job was lost, and the sweeper queues another.
     */
    leaseHolder: text("lease_holder"),
    /** The grant's hooks' shared `session_cookie`, sealed (context "grant:<id>:session-cookie"). */
    sessionCookieEnvelope: text("session_cookie_envelope"),
    /** Every hook's `additional_metadata`, in hook order, joined for display and search. */
    hookMetadata: text("hook_metadata"),
    /** The answers the technician gave the hooks' questions, except the hidden ones, which are never kept. */
    hookAnswers: jsonb("hook_answers").$type<Record<string, string>>(),
    /** When every authorize hook said yes (or there were none): set once, so a retried provisioning never asks again. */
    authorizedAt: tstz("authorized_at"),
    leaseUntil: tstz("lease_until"),
    /**
     * The worker process whose run holds the lease (worker_processes): once that process stops beating, the lease
     * is abandoned before it lapses. Null while the lease waits for a retry, which any process may run.
     */
    leaseProcess: text("lease_process"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("grants_msp_state_idx").on(t.mspId, t.state),
    index("grants_member_idx").on(t.mspId, t.memberId),
    index("grants_customer_idx").on(t.mspId, t.customerId),
    // The sweeper's and the scheduler's scans: live grants by the time they are due.
    index("grants_due_end_idx").on(t.endsAt).where(sql`${t.state} in ('active', 'expiring', 'irrevocable')`),
    // The sweeper's scan for requests nobody approved in time.
    index("grants_due_approval_idx").on(t.approvalExpiresAt).where(sql`${t.state} = 'pending_approval'`),
    index("grants_due_start_idx").on(t.startAt).where(sql`${t.state} = 'approved'`),
    // The sweeper's scan for passes that lapse before their grant ends.
    index("grants_due_tap_renewal_idx").on(t.tapExpiresAt).where(sql`${t.state} = 'active' and ${t.tapExpiresAt} is not null`),
    // The sweeper's scan for work whose run died or whose job was lost.
    index("grants_lease_idx").on(t.leaseUntil).where(sql`${t.state} in ('provisioning', 'expiring')`),
    mspIsolation("grants", t.mspId),
  ],
);

export type Grant = typeof grants.$inferSelect;
