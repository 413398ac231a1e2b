CREATE TABLE "msps" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "msps" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "members" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"webauthn_user_id" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "passkeys" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"member_id" text NOT NULL,
	"name" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"transports" text[] DEFAULT '{}' NOT NULL,
	"aaguid" text,
	"backup_eligible" boolean NOT NULL,
	"backed_up" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "passkeys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"member_id" text NOT NULL,
	"token_digest" text NOT NULL,
	"passkey_id" text,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"stepped_up_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"end_reason" text
);
--> statement-breakpoint
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invites" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"member_id" text,
	"token_digest" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "invites" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webauthn_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"ceremony" text NOT NULL,
	"flow_digest" text NOT NULL,
	"challenge" text NOT NULL,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"actor_label" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"target_label" text,
	"result" text NOT NULL,
	"reason" text,
	"ip" text,
	"user_agent" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_chain_checks" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"events_checked" bigint NOT NULL,
	"first_broken_seq" bigint,
	"detail" text
);
--> statement-breakpoint
ALTER TABLE "audit_chain_checks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "system_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passkeys" ADD CONSTRAINT "passkeys_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passkeys" ADD CONSTRAINT "passkeys_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_chain_checks" ADD CONSTRAINT "audit_chain_checks_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "members_msp_email_uq" ON "members" USING btree ("msp_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "members_webauthn_user_id_uq" ON "members" USING btree ("webauthn_user_id");--> statement-breakpoint
CREATE INDEX "members_msp_id_idx" ON "members" USING btree ("msp_id");--> statement-breakpoint
CREATE INDEX "passkeys_member_idx" ON "passkeys" USING btree ("msp_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_digest_uq" ON "sessions" USING btree ("token_digest");--> statement-breakpoint
CREATE INDEX "sessions_member_idx" ON "sessions" USING btree ("msp_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invites_token_digest_uq" ON "invites" USING btree ("token_digest");--> statement-breakpoint
CREATE INDEX "invites_msp_idx" ON "invites" USING btree ("msp_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_msp_seq_uq" ON "audit_events" USING btree ("msp_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_msp_time_idx" ON "audit_events" USING btree ("msp_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_chain_checks_msp_idx" ON "audit_chain_checks" USING btree ("msp_id","checked_at");--> statement-breakpoint
CREATE POLICY "msps_msp_isolation" ON "msps" AS PERMISSIVE FOR ALL TO public USING (("msps"."id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("msps"."id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "members_msp_isolation" ON "members" AS PERMISSIVE FOR ALL TO public USING (("members"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("members"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "passkeys_msp_isolation" ON "passkeys" AS PERMISSIVE FOR ALL TO public USING (("passkeys"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("passkeys"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "sessions_msp_isolation" ON "sessions" AS PERMISSIVE FOR ALL TO public USING (("sessions"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("sessions"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "invites_msp_isolation" ON "invites" AS PERMISSIVE FOR ALL TO public USING (("invites"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("invites"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "audit_events_msp_isolation" ON "audit_events" AS PERMISSIVE FOR ALL TO public USING (("audit_events"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("audit_events"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "audit_chain_checks_msp_isolation" ON "audit_chain_checks" AS PERMISSIVE FOR ALL TO public USING (("audit_chain_checks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("audit_chain_checks"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));