CREATE TABLE "accepted_tickets" (
	"jti" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"token_id" text NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accepted_tickets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "accepted_tickets" ADD CONSTRAINT "accepted_tickets_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accepted_tickets_expires_idx" ON "accepted_tickets" USING btree ("expires_at");--> statement-breakpoint
CREATE POLICY "accepted_tickets_msp_isolation" ON "accepted_tickets" AS PERMISSIVE FOR ALL TO public USING (("accepted_tickets"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("accepted_tickets"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));