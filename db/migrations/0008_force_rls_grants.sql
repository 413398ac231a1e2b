-- Custom SQL migration file, put your code below! --
-- FORCE row-level security on the tables added for grants (drizzle-kit cannot express it).
ALTER TABLE "grants" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "grant_steps" FORCE ROW LEVEL SECURITY;
