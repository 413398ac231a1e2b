import { closeDb } from "@/db/client";
import { rewrapGrantSecrets } from "@/lib/services/grants/rewrap-secrets";

/**
 * `npm run keys:rotate`: after adding a new key to ENCRYPTION_KEYS and making it ENCRYPTION_ACTIVE_KEY,
 * moves every stored secret onto it. Run it once; then the old key can be removed from the ring.
 */
const result = await rewrapGrantSecrets();
console.log(`re-wrapped ${result.rewrapped} secret(s); ${result.alreadyCurrent} already used the active key`);
await closeDb();
