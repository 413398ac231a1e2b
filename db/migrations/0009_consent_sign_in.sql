ALTER TABLE "consent_requests" ADD COLUMN "phase" text DEFAULT 'sign_in' NOT NULL;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "authority_tenant" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "nonce" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "code_verifier" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "signed_in_tenant_id" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "signed_in_user_id" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "signed_in_user" text;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD COLUMN "signed_in_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_phase_ck" CHECK ("consent_requests"."phase" in ('sign_in', 'consent'));--> statement-breakpoint
ALTER TABLE "consent_requests" ADD CONSTRAINT "consent_requests_signed_in_ck" CHECK ("consent_requests"."phase" = 'sign_in' or "consent_requests"."signed_in_tenant_id" is not null);