import { closeDb } from "@/db/client";
import { rewrapGrantSecrets } from "@/lib/services/grants/rewrap-secrets";

/**
 * `npm run keys:rotate`: after adding a new key to ENCRYPTION_KEYS and making it ENCRYPTION_ACTIVE_KEY,
 * moves every stored secret onto it. It keeps trying rows that running jobs hold for a minute, and exits
 * 1 while any secret is still under an old key: the old key may leave the ring only after a clean run.
 */
const result = await rewrapGrantSecrets();
console.log(`re-wrapped ${result.rewrapped} secret(s); ${result.current} grant(s) now entirely under the active key`);
if (result.remaining > 0) {
  console.error(`${result.remaining} grant(s) still hold a secret under an old key (rows busy in running jobs). Run keys:rotate again; keep the old key until it reports none.`);
}
await closeDb();
process.exit(result.remaining > 0 ? 1 : 0);
