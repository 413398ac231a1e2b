CREATE TABLE "notification_settings" (
	"msp_id" text PRIMARY KEY NOT NULL,
	"smtp_host" text,
	"smtp_port" integer,
	"smtp_secure" boolean DEFAULT false NOT NULL,
	"smtp_user" text,
	"smtp_password_envelope" text,
	"smtp_from" text,
	"reminder_minutes" integer DEFAULT 10 NOT NULL,
	"irrevocable_repeat_minutes" integer DEFAULT 60 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"email_to" text[],
	"url_envelope" text,
	"url_host" text,
	"secret_envelope" text,
	"previous_secret_envelope" text,
	"previous_secret_until" timestamp with time zone,
	"events" text[] NOT NULL,
	"customer_ids" text[],
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_endpoints" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"event" text NOT NULL,
	"grant_id" text,
	"customer_id" text,
	"payload" jsonb NOT NULL,
	"member_ids" text[] DEFAULT '{}' NOT NULL,
	"to_admins" boolean DEFAULT false NOT NULL,
	"dedupe_key" text,
	"endpoint_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fanned_out_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notification_outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"outbox_id" text NOT NULL,
	"endpoint_id" text,
	"member_id" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"member_id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"muted_events" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_endpoints" ADD CONSTRAINT "notification_endpoints_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_outbox_id_notification_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."notification_outbox"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_endpoint_id_notification_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."notification_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_endpoints_msp_idx" ON "notification_endpoints" USING btree ("msp_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_outbox_dedupe_uq" ON "notification_outbox" USING btree ("msp_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox" USING btree ("created_at") WHERE "notification_outbox"."fanned_out_at" is null;--> statement-breakpoint
CREATE INDEX "notification_outbox_grant_idx" ON "notification_outbox" USING btree ("msp_id","grant_id","event");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_endpoint_uq" ON "notification_deliveries" USING btree ("outbox_id","endpoint_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_member_uq" ON "notification_deliveries" USING btree ("outbox_id","member_id");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE "notification_deliveries"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "notification_deliveries_endpoint_log_idx" ON "notification_deliveries" USING btree ("msp_id","endpoint_id","created_at");--> statement-breakpoint
CREATE POLICY "notification_settings_msp_isolation" ON "notification_settings" AS PERMISSIVE FOR ALL TO public USING (("notification_settings"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("notification_settings"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "notification_endpoints_msp_isolation" ON "notification_endpoints" AS PERMISSIVE FOR ALL TO public USING (("notification_endpoints"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("notification_endpoints"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "notification_outbox_msp_isolation" ON "notification_outbox" AS PERMISSIVE FOR ALL TO public USING (("notification_outbox"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("notification_outbox"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "notification_deliveries_msp_isolation" ON "notification_deliveries" AS PERMISSIVE FOR ALL TO public USING (("notification_deliveries"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("notification_deliveries"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
CREATE POLICY "notification_preferences_msp_isolation" ON "notification_preferences" AS PERMISSIVE FOR ALL TO public USING (("notification_preferences"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("notification_preferences"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));