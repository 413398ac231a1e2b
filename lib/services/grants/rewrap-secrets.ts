import { and, eq, gt, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { keyIdOf, rewrapSecret, type KeyRing } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { passwordContext, tapContext } from "./credential";

const BATCH = 200;

/** An envelope (`v1.<key id>.…`) sealed under another key than the active one. */
const underOldKey = (column: AnyPgColumn, ring: KeyRing): SQL => and(isNotNull(column), sql`split_part(${column}, '.', 2) <> ${ring.activeKeyId}`)!;
const stale = (ring: KeyRing) => or(underOldKey(grants.passwordEnvelope, ring), underOldKey(grants.tapEnvelope, ring));

/** One sweep over the rows with a secret under an old key; rows another transaction holds are left for the next. */
async function rewrapPass(ring: KeyRing): Promise<number> {
  let rewrapped = 0;
  let after = "";
  for (;;) {
    // Key rotation re-wraps the secrets of every MSP.
    const batch = await systemTxBypassingRls(async (tx) => {
      const rows = await tx
        .select({ id: grants.id, mspId: grants.mspId, password: grants.passwordEnvelope, tap: grants.tapEnvelope })
        .from(grants)
        .where(and(stale(ring), gt(grants.id, after)))
        .orderBy(grants.id)
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        const patch: { passwordEnvelope?: string; tapEnvelope?: string } = {};
        if (row.password && keyIdOf(row.password) !== ring.activeKeyId) patch.passwordEnvelope = rewrapSecret(ring, row.password, passwordContext(row.id));
        if (row.tap && keyIdOf(row.tap) !== ring.activeKeyId) patch.tapEnvelope = rewrapSecret(ring, row.tap, tapContext(row.id));
        await tx.update(grants).set(patch).where(and(eq(grants.id, row.id), eq(grants.mspId, row.mspId)));
        rewrapped += Object.keys(patch).length;
      }
      return rows;
    });
    if (batch.length < BATCH) return rewrapped;
    after = batch.at(-1)!.id;
  }
}

async function countSecrets(where: SQL | undefined): Promise<number> {
  // Key rotation counts the secrets of every MSP.
  const [row] = await systemTxBypassingRls((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(grants).where(where));
  return row?.n ?? 0;
}

/**
 * Key rotation (`npm run keys:rotate`): re-wraps the data key of every stored JIT password and pass under
 * the ring's active key, without the plaintext ever being decrypted. Rows that a running job holds are
 * retried until none is left under an old key or `patienceMs` has passed; `remaining` says how many rows
 * still hold a secret under an old key, and only at 0 may the old key leave the ring.
 */
export async function rewrapGrantSecrets(options: { patienceMs?: number } = {}): Promise<{ rewrapped: number; remaining: number; current: number }> {
  const ring = keyRing();
  const deadline = Date.now() + (options.patienceMs ?? 60_000);
  let rewrapped = 0;
  for (;;) {
    rewrapped += await rewrapPass(ring);
    const remaining = await countSecrets(stale(ring));
    if (remaining === 0 || Date.now() >= deadline) {
      const current = await countSecrets(or(isNotNull(grants.passwordEnvelope), isNotNull(grants.tapEnvelope)));
      return { rewrapped, remaining, current: current - remaining };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
