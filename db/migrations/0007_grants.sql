CREATE TABLE "grants" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"member_id" text NOT NULL,
	"state" text NOT NULL,
	"access_level_ids" text[] NOT NULL,
	"role_template_ids" text[] NOT NULL,
	"expiry_actions" text[] NOT NULL,
	"duration_minutes" integer NOT NULL,
	"justification" text NOT NULL,
	"ticket_ref" text,
	"consent_accepted_at" timestamp with time zone,
	"start_at" timestamp with time zone NOT NULL,
	"upn" text NOT NULL,
	"display_name" text NOT NULL,
	"entra_tenant_id" text NOT NULL,
	"entra_user_id" text,
	"password_envelope" text,
	"usable_from" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"extended_minutes" integer DEFAULT 0 NOT NULL,
	"end_reason" text,
	"end_requested_by" text,
	"expiry_started_at" timestamp with time zone,
	"usable_to" timestamp with time zone,
	"expiry_attempts" integer DEFAULT 0 NOT NULL,
	"next_expiry_attempt_at" timestamp with time zone,
	"failure_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "grant_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"step" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"detail" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grant_steps" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_steps" ADD CONSTRAINT "grant_steps_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_steps" ADD CONSTRAINT "grant_steps_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grants_msp_state_idx" ON "grants" USING btree ("msp_id","state");--> statement-breakpoint
CREATE INDEX "grants_member_idx" ON "grants" USING btree ("msp_id","member_id");--> statement-breakpoint
CREATE INDEX "grants_customer_idx" ON "grants" USING btree ("msp_id","customer_id");--> statement-breakpoint
CREATE INDEX "grants_due_end_idx" ON "grants" USING btree ("ends_at") WHERE "grants"."state" in ('active', 'expiring', 'irrevocable');--> statement-breakpoint
CREATE INDEX "grants_due_start_idx" ON "grants" USING btree ("start_at") WHERE "grants"."state" = 'approved';--> statement-breakpoint
CREATE INDEX "grant_steps_grant_idx" ON "grant_steps" USING btree ("msp_id","grant_id","started_at");--> statement-breakpoint
CREATE POLICY "grants_msp_isolation" ON "grants" AS PERMISSIVE FOR ALL TO public USING (("grants"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("grants"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "grant_steps_msp_isolation" ON "grant_steps" AS PERMISSIVE FOR ALL TO public USING (("grant_steps"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("grant_steps"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));