CREATE TABLE "psa_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"base_url" text NOT NULL,
	"settings_envelope" text NOT NULL,
	"checked_at" timestamp with time zone,
	"check_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "psa_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "psa_company_links" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"psa_connection_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"company_id" text NOT NULL,
	"company_name" text NOT NULL,
	"confirmed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "psa_company_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "access_hooks" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"policy_id" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"events" text[] NOT NULL,
	"url" text,
	"secret_envelope" text,
	"psa_connection_id" text,
	"psa_options" jsonb,
	"timeout_ms" integer DEFAULT 5000 NOT NULL,
	"on_failure" text DEFAULT 'deny' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_hooks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "grant_hooks" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"hook_id" text,
	"hook_name" text NOT NULL,
	"position" integer NOT NULL,
	"cookie_envelope" text,
	"metadata" text,
	"authorize_verdict" text,
	"authorized_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "grant_hooks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "hook_conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"member_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"state_envelope" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hook_conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "session_cookie_envelope" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "hook_metadata" text;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "hook_answers" jsonb;--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "authorized_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "grant_hook_id" text;--> statement-breakpoint
ALTER TABLE "psa_connections" ADD CONSTRAINT "psa_connections_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psa_company_links" ADD CONSTRAINT "psa_company_links_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psa_company_links" ADD CONSTRAINT "psa_company_links_psa_connection_id_psa_connections_id_fk" FOREIGN KEY ("psa_connection_id") REFERENCES "public"."psa_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psa_company_links" ADD CONSTRAINT "psa_company_links_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psa_company_links" ADD CONSTRAINT "psa_company_links_confirmed_by_members_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_hooks" ADD CONSTRAINT "access_hooks_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_hooks" ADD CONSTRAINT "access_hooks_policy_id_access_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."access_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_hooks" ADD CONSTRAINT "access_hooks_psa_connection_id_psa_connections_id_fk" FOREIGN KEY ("psa_connection_id") REFERENCES "public"."psa_connections"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_hooks" ADD CONSTRAINT "grant_hooks_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_hooks" ADD CONSTRAINT "grant_hooks_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_hooks" ADD CONSTRAINT "grant_hooks_hook_id_access_hooks_id_fk" FOREIGN KEY ("hook_id") REFERENCES "public"."access_hooks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hook_conversations" ADD CONSTRAINT "hook_conversations_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hook_conversations" ADD CONSTRAINT "hook_conversations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hook_conversations" ADD CONSTRAINT "hook_conversations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "psa_connections_msp_kind_uq" ON "psa_connections" USING btree ("msp_id","kind");--> statement-breakpoint
CREATE INDEX "psa_connections_msp_idx" ON "psa_connections" USING btree ("msp_id");--> statement-breakpoint
CREATE UNIQUE INDEX "psa_company_links_customer_uq" ON "psa_company_links" USING btree ("psa_connection_id","customer_id");--> statement-breakpoint
CREATE INDEX "psa_company_links_msp_idx" ON "psa_company_links" USING btree ("msp_id");--> statement-breakpoint
CREATE INDEX "access_hooks_policy_idx" ON "access_hooks" USING btree ("msp_id","policy_id","position");--> statement-breakpoint
CREATE INDEX "access_hooks_psa_idx" ON "access_hooks" USING btree ("psa_connection_id") WHERE "access_hooks"."psa_connection_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "grant_hooks_grant_hook_uq" ON "grant_hooks" USING btree ("grant_id","hook_id");--> statement-breakpoint
CREATE INDEX "grant_hooks_msp_grant_idx" ON "grant_hooks" USING btree ("msp_id","grant_id");--> statement-breakpoint
CREATE INDEX "hook_conversations_member_idx" ON "hook_conversations" USING btree ("msp_id","member_id");--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_grant_hook_id_grant_hooks_id_fk" FOREIGN KEY ("grant_hook_id") REFERENCES "public"."grant_hooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_grant_hook_uq" ON "notification_deliveries" USING btree ("grant_hook_id");--> statement-breakpoint
CREATE POLICY "psa_connections_msp_isolation" ON "psa_connections" AS PERMISSIVE FOR ALL TO public USING (("psa_connections"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("psa_connections"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "psa_company_links_msp_isolation" ON "psa_company_links" AS PERMISSIVE FOR ALL TO public USING (("psa_company_links"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("psa_company_links"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "access_hooks_msp_isolation" ON "access_hooks" AS PERMISSIVE FOR ALL TO public USING (("access_hooks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("access_hooks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "grant_hooks_msp_isolation" ON "grant_hooks" AS PERMISSIVE FOR ALL TO public USING (("grant_hooks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("grant_hooks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "hook_conversations_msp_isolation" ON "hook_conversations" AS PERMISSIVE FOR ALL TO public USING (("hook_conversations"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("hook_conversations"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));