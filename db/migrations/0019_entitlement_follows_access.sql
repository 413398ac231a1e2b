ALTER TABLE "entra_connections" ADD COLUMN "disconnect_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "entra_connections" ADD COLUMN "disconnect_requested_by" text;