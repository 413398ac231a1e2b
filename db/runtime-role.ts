import type postgres from "postgres";

/** The role every application transaction runs as (db/tx.ts); migrations create it. */
export const APP_ROLE = "stint_app";

/**
 * Why the role a connection logged in as is unfit for the web app and worker, or an empty list. Row-level
 * security and the append-only audit tables hold only while the session is, and cannot stop being,
 * stint_app: a superuser, a role with BYPASSRLS, the owner of the database, schema or tables, or a member of
 * any other role could step out of it (RESET ROLE) after an injection or a bug.
 */
export async function runtimeRoleProblems(sql: postgres.Sql): Promise<string[]> {
  const [role] = await sql<{ name: string; superuser: boolean; bypassrls: boolean; createrole: boolean; inApp: boolean }[]>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls, r.rolcreaterole as createrole,
           pg_has_role(session_user, ${APP_ROLE}, 'MEMBER') as "inApp"
    from pg_roles r where r.rolname = session_user`;
  if (!role) return ["the login role cannot be read from pg_roles"];
  const problems: string[] = [];
  if (role.superuser) problems.push(`${role.name} is a superuser`);
  if (role.bypassrls) problems.push(`${role.name} has BYPASSRLS`);
  if (role.createrole) problems.push(`${role.name} has CREATEROLE`);
  if (!role.inApp) problems.push(`${role.name} is not ${APP_ROLE} and not a member of it`);
  const others = await sql<{ name: string }[]>`
    select rolname as name from pg_roles
    where pg_has_role(session_user, oid, 'MEMBER') and rolname not in (session_user, ${APP_ROLE})
    order by rolname`;
  if (others.length) problems.push(`${role.name} can become ${others.map((o) => o.name).join(", ")}`);
  const [owns] = await sql<{ database: boolean; schema: boolean; tables: number }[]>`
    select (select datdba from pg_database where datname = current_database()) = (select oid from pg_roles where rolname = session_user) as database,
           exists (select 1 from pg_namespace n where n.nspname = 'public' and pg_has_role(session_user, n.nspowner, 'USAGE')) as schema,
           (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname in ('public', 'drizzle') and pg_has_role(session_user, c.relowner, 'USAGE')) as tables`;
  if (owns?.database) problems.push(`${role.name} owns the database`);
  if (owns?.schema) problems.push(`${role.name} owns the public schema`);
  if (owns && owns.tables > 0) problems.push(`${role.name} owns ${owns.tables} of Stint's tables`);
  return problems;
}

/** Throws, naming every problem and the fix, unless the connection's login role is fit (see above). */
export async function assertRuntimeRole(sql: postgres.Sql): Promise<void> {
  const problems = await runtimeRoleProblems(sql);
  if (problems.length === 0) return;
  throw new Error(
    `The database role of DATABASE_URL may not run Stint: ${problems.join("; ")}. Connect the web app and worker as ` +
      `${APP_ROLE} (ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '…') or as a login role that is a member of ${APP_ROLE} only, and ` +
      `run migrations as the schema owner through DATABASE_OWNER_URL (docs/operations.md, "Database roles").`,
  );
}

/** The URL of stint_app on the owner's server and database (for local clusters with trust authentication). */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = "";
  return url.toString();
}

/**
 * For a local cluster with trust authentication (the embedded Postgres, tests): lets stint_app log in, after
 * migrations created it. With password authentication an administrator does this, with a password.
 */
export async function allowLocalAppRoleLogin(owner: postgres.Sql): Promise<void> {
  await owner.unsafe(`alter role ${APP_ROLE} login`);
}
