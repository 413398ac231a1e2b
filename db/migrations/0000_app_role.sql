-- Custom SQL migration file, put your code below! --
-- stint_app is the role every application transaction runs as (SET LOCAL ROLE, db/tx.ts): no superuser,
-- no BYPASSRLS, so row-level security applies to it. Roles are cluster-wide: create it once.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stint_app') THEN
    CREATE ROLE stint_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
--> statement-breakpoint
GRANT stint_app TO CURRENT_USER;
