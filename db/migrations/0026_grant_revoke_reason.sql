ALTER TABLE "grants" ADD COLUMN "revoke_reason" text;
