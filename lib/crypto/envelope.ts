import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Envelope encryption for secrets at rest (Entra client secrets, JIT passwords): each value gets its own
 * random 256-bit data key; the value is sealed with AES-256-GCM under that key, and the data key is sealed
 * with AES-256-GCM under a key-encryption key from the key ring. The result names the KEK it used, so
 * rotating the ring needs only re-wrapping data keys (`rewrap`), never the plaintext.
 *
 * Format: `v1.<kekId>.<wrapped data key>.<sealed value>`, each part base64url of iv(12) ‖ tag(16) ‖ ciphertext.
 * The associated data binds a ciphertext to where it belongs (e.g. "grant:<id>:password"), so a value
 * copied to another row or column does not decrypt.
 */
export type KeyRing = { activeKeyId: string; keys: ReadonlyMap<string, Buffer> };

const VERSION = "v1";

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

function open(key: Buffer, sealed: string, aad: Buffer): Buffer {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length < 28) throw new DecryptionError("ciphertext is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    throw new DecryptionError("authentication failed (tampered, wrong key, or wrong context)");
  }
}

export class DecryptionError extends Error {}

function kek(ring: KeyRing, id: string): Buffer {
  const key = ring.keys.get(id);
  if (!key) throw new DecryptionError(`key ${id} is not in the key ring`);
  return key;
}

function wrapAad(kekId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}|${kekId}|${context}`);
}

export function encryptSecret(ring: KeyRing, plaintext: string, context: string): string {
  const dataKey = randomBytes(32);
  const kekId = ring.activeKeyId;
  const wrapped = seal(kek(ring, kekId), dataKey, wrapAad(kekId, context));
  const value = seal(dataKey, Buffer.from(plaintext, "utf8"), Buffer.from(context));
  dataKey.fill(0);
  return [VERSION, kekId, wrapped, value].join(".");
}

function parse(envelope: string) {
  const parts = envelope.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("not a Stint envelope (unencrypted values are refused)");
  const [, kekId, wrapped, value] = parts as [string, string, string, string];
  return { kekId, wrapped, value };
}

export function decryptSecret(ring: KeyRing, envelope: string, context: string): string {
  const { kekId, wrapped, value } = parse(envelope);
  const dataKey = open(kek(ring, kekId), wrapped, wrapAad(kekId, context));
  try {
    return open(dataKey, value, Buffer.from(context)).toString("utf8");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps the data key under the ring's active key; the sealed value (and so the plaintext) is untouched. */
export function rewrapSecret(ring: KeyRing, envelope: string, context: string): string {
  const { kekId, wrapped, value } = parse(envelope);
  if (kekId === ring.activeKeyId) return envelope;
  const dataKey = open(kek(ring, kekId), wrapped, wrapAad(kekId, context));
  try {
    return [VERSION, ring.activeKeyId, seal(kek(ring, ring.activeKeyId), dataKey, wrapAad(ring.activeKeyId, context)), value].join(".");
  } finally {
    dataKey.fill(0);
  }
}

export function keyIdOf(envelope: string): string {
  return parse(envelope).kekId;
}

/**
 * Parses `ENCRYPTION_KEYS` ("id:base64key,id:base64key", 32-byte keys) and `ENCRYPTION_ACTIVE_KEY`.
 * The active key encrypts; every key in the ring decrypts.
 */
export function parseKeyRing(keys: string, activeKeyId: string | undefined): KeyRing {
  const map = new Map<string, Buffer>();
  for (const entry of keys.split(",").map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(":");
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), "base64");
    if (at <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`ENCRYPTION_KEYS: "${entry.slice(0, 12)}…" is not id:base64key`);
    if (key.length !== 32) throw new Error(`ENCRYPTION_KEYS: key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    if (map.has(id)) throw new Error(`ENCRYPTION_KEYS: key id ${id} appears twice`);
    map.set(id, key);
  }
  if (map.size === 0) throw new Error("ENCRYPTION_KEYS is empty");
  const active = activeKeyId ?? [...map.keys()].at(-1)!;
  if (!map.has(active)) throw new Error(`ENCRYPTION_ACTIVE_KEY ${active} is not in ENCRYPTION_KEYS`);
  return { activeKeyId: active, keys: map };
}
