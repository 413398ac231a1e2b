-- Custom SQL migration file, put your code below! --
-- FORCE row-level security on the tables added in 0004 (drizzle-kit cannot express it).
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "entra_connections" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "consent_requests" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "access_levels" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "customer_access_levels" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "teams" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "team_members" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "delegations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "delegation_access_levels" FORCE ROW LEVEL SECURITY;
