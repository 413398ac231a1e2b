-- Custom SQL migration file, put your code below! --
ALTER TABLE "notification_settings" FORCE ROW LEVEL SECURITY;
ALTER TABLE "notification_endpoints" FORCE ROW LEVEL SECURITY;
ALTER TABLE "notification_outbox" FORCE ROW LEVEL SECURITY;
ALTER TABLE "notification_deliveries" FORCE ROW LEVEL SECURITY;
ALTER TABLE "notification_preferences" FORCE ROW LEVEL SECURITY;
