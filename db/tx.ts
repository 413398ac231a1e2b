import { sql } from "drizzle-orm";
import { getDb, type Tx } from "./client";

/**
 * Every application transaction runs as the stint_app role (no BYPASSRLS), so Postgres row-level
 * security applies whatever role the pool connects as. Settings are transaction-local
 * (set_config(…, true)): they cannot leak to the next user of a pooled connection.
 */
async function begin<T>(key: "app.msp_id" | "app.system", value: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return getDb().transaction(async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE, with the same membership check.
    await tx.execute(sql`select set_config('role', 'stint_app', true), set_config(${key}, ${value}, true)`);
    return fn(tx);
  });
}

/** A transaction that sees and writes only one MSP's rows. */
export function withMspTx<T>(mspId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return begin("app.msp_id", mspId, fn);
}

/**
 * A transaction that bypasses row-level security: it sees and writes every MSP's rows. Only for what cannot
 * name one MSP: lookups that come before the MSP is known (a session cookie, a passkey's credential id, an
 * invite link, a token, first-run setup), rows that belong to no MSP yet (an extension pairing), and sweeps
 * across MSPs. Each call site says why; anything that knows its MSP uses withMspTx. Importing it is
 * restricted by lint to lib/services and jobs.
 */
export function systemTxBypassingRls<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return begin("app.system", "on", fn);
}
