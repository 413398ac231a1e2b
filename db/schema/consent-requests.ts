import { sql } from "drizzle-orm";
import { check, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { customers } from "./customers";
import { msps } from "./msps";

export const consentPhases = ["sign_in", "consent"] as const;
export type ConsentPhase = (typeof consentPhases)[number];

/**
 * A connection attempt in flight, in two legs that share this row (lib/services/connections):
 * 1. `sign_in`: an administrator signs in (OpenID Connect, authorization code with PKCE and a nonce), which tells
 *    Stint, from the ID token it redeems itself, which tenant they belong to;
 * 2. `consent`: the same administrator grants admin consent in that tenant, and the answer must name it.
 * Each leg has its own single-use `state`, stored as a digest and bound to the customer and the member who started.
 * The row expires 15 minutes after the start of its current leg and is used once (`used_at`).
 */
export const consentRequests = pgTable(
  "consent_requests",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    customerId: text("customer_id").notNull().references(() => customers.id, { onDelete: "cascade" }),
    memberId: text("member_id").notNull(),
    stateDigest: text("state_digest").notNull(),
    phase: text("phase", { enum: consentPhases }).notNull().default("sign_in"),
    /** The `{tenant}` of the sign-in authority (`organizations`, or the tenant a reconnect or the sandbox names). */
    authorityTenant: text("authority_tenant"),
    /** OpenID Connect nonce of the sign-in; not secret (it travels in the authorize URL). */
    nonce: text("nonce"),
    /**
     * PKCE code verifier of the sign-in, cleared once the code is redeemed. Kept here rather than in a cookie: the
     * row is already the flow's binding (state, member, MSP, RLS), lives 15 minutes and is used once; the verifier is
     * worthless without the authorization code, which is single use, short-lived and redeemable only with Stint's
     * client credentials. Never logged.
     */
    codeVerifier: text("code_verifier"),
    /** Who signed in, from the ID token Stint redeemed: the tenant (`tid`) the consent must come from. */
    signedInTenantId: text("signed_in_tenant_id"),
    signedInUserId: text("signed_in_user_id"),
    signedInUser: text("signed_in_user"),
    signedInAt: tstz("signed_in_at"),
    createdAt: createdAt(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
  },
  (t) => [
    uniqueIndex("consent_requests_state_uq").on(t.stateDigest),
    check("consent_requests_phase_ck", sql`${t.phase} in ('sign_in', 'consent')`),
    check("consent_requests_signed_in_ck", sql`${t.phase} = 'sign_in' or ${t.signedInTenantId} is not null`),
    mspIsolation("consent_requests", t.mspId),
  ],
);

export type ConsentRequest = typeof consentRequests.$inferSelect;
