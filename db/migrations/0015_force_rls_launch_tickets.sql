-- Custom SQL migration file, put your code below! --
ALTER TABLE "accepted_tickets" FORCE ROW LEVEL SECURITY;
