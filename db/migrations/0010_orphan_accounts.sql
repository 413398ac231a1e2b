CREATE TABLE "orphan_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"entra_user_id" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"grant_id" text,
	"found_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"detail" text
);
--> statement-breakpoint
ALTER TABLE "orphan_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "orphan_accounts" ADD CONSTRAINT "orphan_accounts_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orphan_accounts" ADD CONSTRAINT "orphan_accounts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "orphan_accounts_user_uq" ON "orphan_accounts" USING btree ("msp_id","entra_user_id");--> statement-breakpoint
CREATE INDEX "orphan_accounts_msp_idx" ON "orphan_accounts" USING btree ("msp_id","found_at");--> statement-breakpoint
CREATE POLICY "orphan_accounts_msp_isolation" ON "orphan_accounts" AS PERMISSIVE FOR ALL TO public USING (("orphan_accounts"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("orphan_accounts"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));