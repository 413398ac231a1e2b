CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"is_sandbox" boolean DEFAULT false NOT NULL,
	"upn_domain" text,
	"naming_template" text DEFAULT 'stint-{technician}-{grant}' NOT NULL,
	"default_duration_minutes" integer DEFAULT 60 NOT NULL,
	"max_duration_minutes" integer DEFAULT 480 NOT NULL,
	"usage_location" text DEFAULT 'US' NOT NULL,
	"expiry_actions" text[] DEFAULT '{remove_roles,revoke_sessions,disable,rotate_password}'::text[] NOT NULL,
	"consent_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "entra_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"cloud" text NOT NULL,
	"status" text NOT NULL,
	"tenant_id" text NOT NULL,
	"tenant_name" text NOT NULL,
	"verified_domains" text[] DEFAULT '{}' NOT NULL,
	"default_domain" text,
	"role_definitions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"granted_permissions" text[] DEFAULT '{}' NOT NULL,
	"health_ok" boolean DEFAULT true NOT NULL,
	"health_detail" text,
	"health_checked_at" timestamp with time zone,
	"connected_by" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disconnected_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entra_connections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "consent_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"member_id" text NOT NULL,
	"state_digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "consent_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "access_levels" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"role_template_ids" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "access_levels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "customer_access_levels" (
	"msp_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"access_level_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_access_levels_customer_id_access_level_id_pk" PRIMARY KEY("customer_id","access_level_id")
);
--> statement-breakpoint
ALTER TABLE "customer_access_levels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "team_members" (
	"msp_id" text NOT NULL,
	"team_id" text NOT NULL,
	"member_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_team_id_member_id_pk" PRIMARY KEY("team_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "team_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "teams" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "delegation_access_levels" (
	"msp_id" text NOT NULL,
	"delegation_id" text NOT NULL,
	"access_level_id" text NOT NULL,
	CONSTRAINT "delegation_access_levels_delegation_id_access_level_id_pk" PRIMARY KEY("delegation_id","access_level_id")
);
--> statement-breakpoint
ALTER TABLE "delegation_access_levels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "delegations" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"member_id" text,
	"team_id" text,
	"customer_id" text,
	"max_duration_minutes" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delegations_one_subject" CHECK (("delegations"."member_id" is null) <> ("delegations"."team_id" is null))
);
--> statement-breakpoint
ALTER TABLE "delegations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_connections" ADD CONSTRAINT "entra_connections_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entra_connections" ADD CONSTRAINT "entra_connections_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_levels" ADD CONSTRAINT "access_levels_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_access_levels" ADD CONSTRAINT "customer_access_levels_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_access_levels" ADD CONSTRAINT "customer_access_levels_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_access_levels" ADD CONSTRAINT "customer_access_levels_access_level_id_access_levels_id_fk" FOREIGN KEY ("access_level_id") REFERENCES "public"."access_levels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_access_levels" ADD CONSTRAINT "delegation_access_levels_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_access_levels" ADD CONSTRAINT "delegation_access_levels_delegation_id_delegations_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_access_levels" ADD CONSTRAINT "delegation_access_levels_access_level_id_access_levels_id_fk" FOREIGN KEY ("access_level_id") REFERENCES "public"."access_levels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_msp_name_uq" ON "customers" USING btree ("msp_id",lower("name"));--> statement-breakpoint
CREATE INDEX "customers_msp_idx" ON "customers" USING btree ("msp_id");--> statement-breakpoint
CREATE UNIQUE INDEX "entra_connections_customer_uq" ON "entra_connections" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "entra_connections_tenant_idx" ON "entra_connections" USING btree ("msp_id","tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "consent_requests_state_uq" ON "consent_requests" USING btree ("state_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "access_levels_msp_name_uq" ON "access_levels" USING btree ("msp_id",lower("name"));--> statement-breakpoint
CREATE INDEX "customer_access_levels_msp_idx" ON "customer_access_levels" USING btree ("msp_id");--> statement-breakpoint
CREATE INDEX "team_members_member_idx" ON "team_members" USING btree ("msp_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_msp_name_uq" ON "teams" USING btree ("msp_id",lower("name"));--> statement-breakpoint
CREATE INDEX "delegations_member_idx" ON "delegations" USING btree ("msp_id","member_id");--> statement-breakpoint
CREATE INDEX "delegations_team_idx" ON "delegations" USING btree ("msp_id","team_id");--> statement-breakpoint
CREATE INDEX "delegations_customer_idx" ON "delegations" USING btree ("msp_id","customer_id");--> statement-breakpoint
CREATE POLICY "customers_msp_isolation" ON "customers" AS PERMISSIVE FOR ALL TO public USING (("customers"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("customers"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "entra_connections_msp_isolation" ON "entra_connections" AS PERMISSIVE FOR ALL TO public USING (("entra_connections"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("entra_connections"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "consent_requests_msp_isolation" ON "consent_requests" AS PERMISSIVE FOR ALL TO public USING (("consent_requests"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("consent_requests"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "access_levels_msp_isolation" ON "access_levels" AS PERMISSIVE FOR ALL TO public USING (("access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "customer_access_levels_msp_isolation" ON "customer_access_levels" AS PERMISSIVE FOR ALL TO public USING (("customer_access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("customer_access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "team_members_msp_isolation" ON "team_members" AS PERMISSIVE FOR ALL TO public USING (("team_members"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("team_members"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "teams_msp_isolation" ON "teams" AS PERMISSIVE FOR ALL TO public USING (("teams"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("teams"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "delegation_access_levels_msp_isolation" ON "delegation_access_levels" AS PERMISSIVE FOR ALL TO public USING (("delegation_access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("delegation_access_levels"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "delegations_msp_isolation" ON "delegations" AS PERMISSIVE FOR ALL TO public USING (("delegations"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("delegations"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));