ALTER TABLE "grants" ADD COLUMN "role_assignment_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "lease_holder" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "grants_lease_idx" ON "grants" USING btree ("lease_until") WHERE "grants"."state" in ('provisioning', 'expiring');