import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "./_columns";

export const ceremonies = ["setup", "invite", "add_passkey", "sign_in", "step_up"] as const;
export type Ceremony = (typeof ceremonies)[number];

/**
 * Pending WebAuthn challenges. Single-use (deleted on first verification, success or failure),
 * bound to one ceremony and to the browser that asked (flow cookie digest), expiring after 5 minutes.
 * Not MSP data: a sign-in challenge exists before anyone knows the MSP.
 */
export const webauthnChallenges = pgTable("webauthn_challenges", {
  id: text("id").primaryKey(),
  ceremony: text("ceremony", { enum: ceremonies }).notNull(),
  flowDigest: text("flow_digest").notNull(),
  challenge: text("challenge").notNull(),
  /** Ceremony context: setup form, invite id, member id; never a secret. */
  context: jsonb("context").$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
  expiresAt: tstz("expires_at").notNull(),
});

export type WebauthnChallenge = typeof webauthnChallenges.$inferSelect;
