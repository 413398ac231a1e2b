import { and, eq, gt, isNotNull, or } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { keyIdOf, rewrapSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { passwordContext, tapContext } from "./credential";

const BATCH = 200;

/**
 * Key rotation (`npm run keys:rotate`): re-wraps the data key of every stored JIT password and pass under
 * the ring's active key, without the plaintext ever being decrypted. Afterwards the old key can leave the
 * ring. Counts are per secret.
 */
export async function rewrapGrantSecrets(): Promise<{ rewrapped: number; alreadyCurrent: number }> {
  const ring = keyRing();
  let rewrapped = 0;
  let alreadyCurrent = 0;
  let after = "";
  for (;;) {
    const batch = await withSystemTx(async (tx) => {
      const rows = await tx
        .select({ id: grants.id, mspId: grants.mspId, password: grants.passwordEnvelope, tap: grants.tapEnvelope })
        .from(grants)
        .where(and(or(isNotNull(grants.passwordEnvelope), isNotNull(grants.tapEnvelope)), gt(grants.id, after)))
        .orderBy(grants.id)
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        const patch: { passwordEnvelope?: string; tapEnvelope?: string } = {};
        for (const [column, envelope, context] of [
          ["passwordEnvelope", row.password, passwordContext(row.id)],
          ["tapEnvelope", row.tap, tapContext(row.id)],
        ] as const) {
          if (envelope === null) continue;
          if (keyIdOf(envelope) === ring.activeKeyId) alreadyCurrent += 1;
          else patch[column] = rewrapSecret(ring, envelope, context);
        }
        if (Object.keys(patch).length === 0) continue;
        await tx.update(grants).set(patch).where(and(eq(grants.id, row.id), eq(grants.mspId, row.mspId)));
        rewrapped += Object.keys(patch).length;
      }
      return rows;
    });
    if (batch.length < BATCH) return { rewrapped, alreadyCurrent };
    after = batch.at(-1)!.id;
  }
}
