import { X509Certificate, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  /** The CA to trust (NODE_EXTRA_CA_CERTS). Its private key is discarded after signing the server certificate. */
  caCertPath: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const serverNames = ["localhost", "login.microsoftonline.com", "graph.microsoft.com", "portal.azure.com"];
const serverIps = ["127.0.0.1", "::1"];
const renewalMarginMs = 7 * 24 * 3600 * 1000;

/**
 * Loads the emulator's CA and server certificate from `<stateDir>/tls`, or creates them. Several processes may start
 * at once (parallel test files): the material is written to a private folder and renamed into place, and whoever
 * renames second adopts the winner's files.
 */
export async function ensureTls(stateDir: string): Promise<TlsMaterial> {
  const dir = path.join(stateDir, "tls");
  const existing = await load(dir);
  if (existing && isUsable(existing)) return existing;

  await mkdir(stateDir, { recursive: true });
  const staging = `${dir}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeMaterial(staging);
  if (existing) await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    if (!isCode(error, "ENOTEMPTY") && !isCode(error, "EEXIST")) throw error;
    await rm(staging, { recursive: true, force: true });
  }
  const material = await load(dir);
  if (!material) throw new Error(`Could not read the emulator's TLS material from ${dir}`);
  return material;
}

async function writeMaterial(dir: string): Promise<void> {
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const ca = await generate([{ name: "commonName", value: "Stint Entra emulator local CA" }], {
    algorithm: "sha256",
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 10 * 365 * 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    algorithm: "sha256",
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 2 * 365 * 24 * 3600_000),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...serverNames.map((value) => ({ type: 2 as const, value })),
          ...serverIps.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "ca.pem"), ca.cert);
  await writeFile(path.join(dir, "server.pem"), server.cert);
  await writeFile(path.join(dir, "server-key.pem"), server.private, { mode: 0o600 });
}

async function load(dir: string): Promise<TlsMaterial | undefined> {
  try {
    const caCertPath = path.join(dir, "ca.pem");
    const [caCert, serverCert, serverKey] = await Promise.all([
      readFile(caCertPath, "utf8"),
      readFile(path.join(dir, "server.pem"), "utf8"),
      readFile(path.join(dir, "server-key.pem"), "utf8"),
    ]);
    return { caCertPath, caCert, serverCert, serverKey };
  } catch (error) {
    if (isCode(error, "ENOENT")) return undefined;
    throw error;
  }
}

function isUsable(material: TlsMaterial): boolean {
  try {
    const ca = new X509Certificate(material.caCert);
    const server = new X509Certificate(material.serverCert);
    const deadline = Date.now() + renewalMarginMs;
    // Material from an older emulator may lack a name added since (e.g. portal.azure.com): it is made again.
    const names = new Set((server.subjectAltName ?? "").split(", "));
    return (
      Date.parse(ca.validTo) > deadline &&
      Date.parse(server.validTo) > deadline &&
      server.verify(ca.publicKey) &&
      serverNames.every((n) => names.has(`DNS:${n}`))
    );
  } catch {
    return false;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
