CREATE TABLE "access_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"name" text NOT NULL,
	"customer_id" text,
	"access_level_id" text,
	"approval" text DEFAULT 'never' NOT NULL,
	"approvals_required" integer DEFAULT 1 NOT NULL,
	"approver_roles" text[] DEFAULT '{owner,admin}'::text[] NOT NULL,
	"approver_team_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"approver_member_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"approval_expiry_minutes" integer DEFAULT 1440 NOT NULL,
	"emergency_allowed" boolean DEFAULT true NOT NULL,
	"ticket_required" boolean DEFAULT false NOT NULL,
	"ticket_pattern" text,
	"justification_min_length" integer DEFAULT 10 NOT NULL,
	"step_up_at_request" boolean DEFAULT false NOT NULL,
	"hours_days" integer[] DEFAULT '{1,2,3,4,5}'::integer[] NOT NULL,
	"hours_from" text DEFAULT '08:00' NOT NULL,
	"hours_to" text DEFAULT '18:00' NOT NULL,
	"restrict_to_hours" boolean DEFAULT false NOT NULL,
	"max_duration_minutes" integer,
	"consent_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_policies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "access_levels" ADD COLUMN "privileged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "consent_text" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "policy_id" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approvals_required" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approved_by" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approver_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "approval_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "denial_reason" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "emergency" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_policies" ADD CONSTRAINT "access_policies_access_level_id_access_levels_id_fk" FOREIGN KEY ("access_level_id") REFERENCES "public"."access_levels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_policies_scope_uq" ON "access_policies" USING btree ("msp_id",coalesce("customer_id", ''),coalesce("access_level_id", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "access_policies_msp_name_uq" ON "access_policies" USING btree ("msp_id",lower("name"));--> statement-breakpoint
CREATE INDEX "access_policies_msp_idx" ON "access_policies" USING btree ("msp_id");--> statement-breakpoint
CREATE INDEX "grants_due_approval_idx" ON "grants" USING btree ("approval_expires_at") WHERE "grants"."state" = 'pending_approval';--> statement-breakpoint
CREATE POLICY "access_policies_msp_isolation" ON "access_policies" AS PERMISSIVE FOR ALL TO public USING (("access_policies"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("access_policies"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));
-- FORCE makes the policy apply to the table's owner too (drizzle-kit cannot express it).
ALTER TABLE "access_policies" FORCE ROW LEVEL SECURITY;
