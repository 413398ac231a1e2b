import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * For a single machine without ENCRYPTION_KEYS: a key ring generated once and kept in
 * .data/encryption-keys (mode 600). Production sets ENCRYPTION_KEYS from its secret store instead.
 */
export function loadOrCreateDevKeyRing(root: string): string {
  const file = path.join(root, ".data", "encryption-keys");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const ring = `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}:${randomBytes(32).toString("base64")}`;
  writeFileSync(file, `${ring}\n`, { mode: 0o600 });
  return ring;
}
