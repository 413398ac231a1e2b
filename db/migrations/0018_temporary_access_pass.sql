ALTER TABLE "customers" ALTER COLUMN "expiry_actions" SET DEFAULT '{remove_roles,remove_tap,revoke_sessions,disable,rotate_password}'::text[];--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "sign_in_method" text DEFAULT 'tap' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "sign_in_method_chosen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "entra_connections" ADD COLUMN "tap_policy" jsonb;--> statement-breakpoint
ALTER TABLE "entra_connections" ADD COLUMN "tap_policy_read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "sign_in_method" text DEFAULT 'password' NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "tap_envelope" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "tap_method_id" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "tap_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "tap_renewal_error" text;--> statement-breakpoint
CREATE INDEX "grants_due_tap_renewal_idx" ON "grants" USING btree ("tap_expires_at") WHERE "grants"."state" = 'active' and "grants"."tap_expires_at" is not null;--> statement-breakpoint
-- Existing customers' accounts lose their pass right after their roles, as new customers' do. The system
-- setting makes the rows of every MSP visible under forced row-level security.
SELECT set_config('app.system', 'on', true);--> statement-breakpoint
UPDATE "customers"
SET "expiry_actions" = "expiry_actions"[1:array_position("expiry_actions", 'remove_roles')] || ARRAY['remove_tap']::text[] || "expiry_actions"[array_position("expiry_actions", 'remove_roles') + 1:]
WHERE 'remove_roles' = ANY("expiry_actions") AND NOT ('remove_tap' = ANY("expiry_actions"));
