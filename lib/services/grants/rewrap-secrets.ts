import { and, eq, gt, isNotNull } from "drizzle-orm";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { keyIdOf, rewrapSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { passwordContext } from "./provision";

const BATCH = 200;

/**
 * Key rotation (`npm run keys:rotate`): re-wraps every stored JIT password's data key under the ring's
 * active key, without the plaintext ever being decrypted. Afterwards the old key can leave the ring.
 */
export async function rewrapGrantSecrets(): Promise<{ rewrapped: number; alreadyCurrent: number }> {
  const ring = keyRing();
  let rewrapped = 0;
  let alreadyCurrent = 0;
  let after = "";
  for (;;) {
    const batch = await withSystemTx(async (tx) => {
      const rows = await tx
        .select({ id: grants.id, mspId: grants.mspId, envelope: grants.passwordEnvelope })
        .from(grants)
        .where(and(isNotNull(grants.passwordEnvelope), gt(grants.id, after)))
        .orderBy(grants.id)
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        if (keyIdOf(row.envelope!) === ring.activeKeyId) {
          alreadyCurrent += 1;
          continue;
        }
        const next = rewrapSecret(ring, row.envelope!, passwordContext(row.id));
        await tx.update(grants).set({ passwordEnvelope: next }).where(and(eq(grants.id, row.id), eq(grants.mspId, row.mspId)));
        rewrapped += 1;
      }
      return rows;
    });
    if (batch.length < BATCH) return { rewrapped, alreadyCurrent };
    after = batch.at(-1)!.id;
  }
}
