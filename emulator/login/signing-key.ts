import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The RS256 key the login side signs access tokens with. It is kept in `<stateDir>/signing-key.json` so tokens a
 * client has cached stay valid across emulator restarts, as they would against the real service.
 */
export async function loadSigningKey(stateDir: string): Promise<SigningKey> {
  const file = path.join(stateDir, "signing-key.json");
  const stored = await readJwk(file);
  if (stored) return fromPrivateJwk(stored);

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  await mkdir(stateDir, { recursive: true });
  const staging = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(staging, JSON.stringify(jwk), { mode: 0o600 });
  try {
    // link() fails if the file exists, so a concurrent starter's key wins and both processes agree.
    await link(staging, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(staging, { force: true });
  }
  const winner = await readJwk(file);
  if (!winner) throw new Error(`Could not read the emulator's signing key from ${file}`);
  return fromPrivateJwk(winner);
}

async function readJwk(file: string): Promise<JWK | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  const publicJwk: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateKey: (await importJWK({ ...jwk, alg: "RS256" }, "RS256")) as CryptoKey,
    publicKey: (await importJWK({ ...publicJwk, alg: "RS256" }, "RS256")) as CryptoKey,
    publicJwk: { ...publicJwk, kid, use: "sig", alg: "RS256" },
  };
}
