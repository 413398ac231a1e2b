import { env } from "@/lib/env";
import { parseKeyRing, type KeyRing } from "./envelope";

let cached: { source: string; ring: KeyRing } | undefined;

/** The key ring from ENCRYPTION_KEYS (npm start generates one for a single machine in .data/). */
export function keyRing(): KeyRing {
  if (!env.ENCRYPTION_KEYS) {
    throw new Error("ENCRYPTION_KEYS is not set: Stint cannot store or read secrets. See .env.example (npm start creates one in .data/).");
  }
  const source = `${env.ENCRYPTION_KEYS}|${env.ENCRYPTION_ACTIVE_KEY ?? ""}`;
  if (cached?.source !== source) cached = { source, ring: parseKeyRing(env.ENCRYPTION_KEYS, env.ENCRYPTION_ACTIVE_KEY) };
  return cached.ring;
}
