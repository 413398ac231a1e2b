-- Custom SQL migration file, put your code below! --
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;
