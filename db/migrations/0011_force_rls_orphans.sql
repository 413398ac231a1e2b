-- Custom SQL migration file, put your code below! --
ALTER TABLE "orphan_accounts" FORCE ROW LEVEL SECURITY;
