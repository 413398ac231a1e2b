CREATE TABLE "audit_checkpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"msp_id" text NOT NULL,
	"n" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL,
	"prev_mac" text NOT NULL,
	"mac" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_chain_checks" ADD COLUMN "checkpoints_checked" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_msp_id_msps_id_fk" FOREIGN KEY ("msp_id") REFERENCES "public"."msps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_checkpoints_msp_n_idx" ON "audit_checkpoints" USING btree ("msp_id","n");--> statement-breakpoint
CREATE INDEX "audit_checkpoints_msp_seq_idx" ON "audit_checkpoints" USING btree ("msp_id","seq");--> statement-breakpoint
CREATE POLICY "audit_checkpoints_msp_isolation" ON "audit_checkpoints" AS PERMISSIVE FOR ALL TO public USING (("audit_checkpoints"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')) WITH CHECK (("audit_checkpoints"."msp_id" = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on'));--> statement-breakpoint
ALTER TABLE "audit_checkpoints" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Checkpoints are evidence: the application may only add them.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_checkpoints" FROM stint_app;
