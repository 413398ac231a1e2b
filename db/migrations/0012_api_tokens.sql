CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"token_digest" text NOT NULL,
	"hint" text NOT NULL,
	"scopes" text[] NOT NULL,
	"customer_ids" text[],
	"allowed_cidrs" text[],
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_ip" text,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "msps" ADD COLUMN "token_max_days" integer DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_digest_uq" ON "api_tokens" USING btree ("token_digest");--> statement-breakpoint
CREATE INDEX "api_tokens_member_idx" ON "api_tokens" USING btree ("msp_id","member_id");--> statement-breakpoint
ALTER TABLE "msps" ADD CONSTRAINT "msps_token_max_days_range" CHECK ("msps"."token_max_days" between 1 and 365);--> statement-breakpoint
CREATE POLICY "api_tokens_msp_isolation" ON "api_tokens" AS PERMISSIVE FOR ALL TO public USING (("api_tokens"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("api_tokens"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));