import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { allowLocalAppRoleLogin, appRoleUrl } from "@/db/runtime-role";

/** Superuser URL of this machine's Postgres, used only to create and drop the per-run database. */
export const adminUrl = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A run's database as production has it: the owner (migrations, tests' inspection) and stint_app (the app). */
export type DatabaseUrls = { url: string; ownerUrl: string };

export function databaseUrlsFor(name: string): DatabaseUrls {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const ownerUrl = url.toString();
  return { url: appRoleUrl(ownerUrl), ownerUrl };
}

/** Creates the database, migrates it as the owner and lets stint_app log in to it. */
export async function createDatabase(name: string): Promise<DatabaseUrls> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
    const urls = databaseUrlsFor(name);
    await runMigrations(urls.ownerUrl);
    await allowLocalAppRoleLogin(admin);
    return urls;
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
