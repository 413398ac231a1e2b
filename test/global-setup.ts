import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase } from "./db";

/**
 * Integration suites run against this machine's real Postgres, in a database made for this run and
 * dropped after it. `npm test` creates one database for all suites and passes DATABASE_URL down.
 */
export default async function setup() {
  process.env.ENCRYPTION_KEYS ??= `test:${randomBytes(32).toString("base64")}`;
  process.env.SETUP_CODE ??= `test-${randomBytes(12).toString("hex")}`;
  // Jobs enqueued by tests never reach a worker of this machine's development instance.
  process.env.QUEUE_PREFIX ??= `stint_test_${randomBytes(4).toString("hex")}`;
  if (process.env.STINT_TEST_DATABASE_READY === "1") return;
  const name = `stint_test_${Date.now()}_${process.pid}`;
  const database = await createDatabase(name);
  process.env.DATABASE_URL = database.url;
  process.env.DATABASE_OWNER_URL = database.ownerUrl;
  return async () => dropDatabase(name);
}
