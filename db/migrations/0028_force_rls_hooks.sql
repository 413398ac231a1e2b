-- Custom SQL migration file, put your code below! --
ALTER TABLE "psa_connections" FORCE ROW LEVEL SECURITY;
ALTER TABLE "psa_company_links" FORCE ROW LEVEL SECURITY;
ALTER TABLE "access_hooks" FORCE ROW LEVEL SECURITY;
ALTER TABLE "grant_hooks" FORCE ROW LEVEL SECURITY;
ALTER TABLE "hook_conversations" FORCE ROW LEVEL SECURITY;
