CREATE TABLE "extension_pairings" (
	"id" text PRIMARY KEY NOT NULL,
	"device_code_digest" text NOT NULL,
	"user_code" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"msp_id" text,
	"member_id" text,
	"token_id" text,
	"device_label" text,
	"created_ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"approved_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"last_polled_at" timestamp with time zone,
	CONSTRAINT "extension_pairings_owner_when_answered" CHECK (("extension_pairings"."status" = 'pending') = ("extension_pairings"."msp_id" is null and "extension_pairings"."member_id" is null))
);
--> statement-breakpoint
ALTER TABLE "extension_pairings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "extension_pairings" ADD CONSTRAINT "extension_pairings_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_pairings" ADD CONSTRAINT "extension_pairings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_pairings" ADD CONSTRAINT "extension_pairings_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "extension_pairings_device_code_uq" ON "extension_pairings" USING btree ("device_code_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "extension_pairings_live_user_code_uq" ON "extension_pairings" USING btree ("user_code") WHERE "extension_pairings"."status" in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "extension_pairings_expires_idx" ON "extension_pairings" USING btree ("expires_at");--> statement-breakpoint
CREATE POLICY "extension_pairings_msp_isolation" ON "extension_pairings" AS PERMISSIVE FOR ALL TO public USING (("extension_pairings"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("extension_pairings"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));