import { hkdfSync } from "node:crypto";
import { env } from "@/lib/env";
import { parseKeyRing } from "./envelope";

const cache = new Map<string, { source: string; key: Buffer }>();

/**
 * A 32-byte key for one purpose, derived with HKDF-SHA256 under that purpose's label from TOKEN_DIGEST_KEY
 * when set, else from the first key of ENCRYPTION_KEYS. Separate labels give unrelated keys, so no key
 * serves two purposes; every instance derives the same ones. Neither source is ever stored in the database.
 */
export function serverSubkey(label: string): Buffer {
  const source = env.TOKEN_DIGEST_KEY ? `digest:${env.TOKEN_DIGEST_KEY}` : `ring:${env.ENCRYPTION_KEYS ?? ""}`;
  const hit = cache.get(label);
  if (hit?.source === source) return hit.key;
  let ikm: Buffer;
  if (env.TOKEN_DIGEST_KEY) ikm = Buffer.from(env.TOKEN_DIGEST_KEY, "base64");
  else if (env.ENCRYPTION_KEYS) ikm = Buffer.from(parseKeyRing(env.ENCRYPTION_KEYS, undefined).keys.values().next().value!);
  else throw new Error(`Neither TOKEN_DIGEST_KEY nor ENCRYPTION_KEYS is set: Stint has no key for "${label}". See .env.example.`);
  const key = Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), label, 32));
  cache.set(label, { source, key });
  return key;
}
