-- Custom SQL migration file, put your code below! --
-- FORCE makes the policy apply to the table's owner too (drizzle-kit cannot express it); stint_app's
-- privileges come from 0002's default privileges.
ALTER TABLE "extension_pairings" FORCE ROW LEVEL SECURITY;
