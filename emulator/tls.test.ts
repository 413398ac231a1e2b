import { X509Certificate } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { afterEach, describe, expect, it } from "vitest";
import { ensureTls } from "./tls";

const names = ["localhost", "login.microsoftonline.com", "graph.microsoft.com", "portal.azure.com"];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Material in the stored layout: one self-signed certificate as both CA and server, valid for a year, for `dnsNames`. */
async function storedMaterial(dnsNames: string[]): Promise<{ stateDir: string; serverCert: string }> {
  const stateDir = await mkdtemp(path.join(tmpdir(), "emulator-tls-"));
  dirs.push(stateDir);
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const cert = await generate([{ name: "commonName", value: "localhost" }], {
    algorithm: "sha256",
    keySize: 2048,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 365 * 24 * 3600_000),
    extensions: [{ name: "subjectAltName", altNames: dnsNames.map((value) => ({ type: 2 as const, value })) }],
  });
  const dir = path.join(stateDir, "tls");
  await mkdir(dir);
  await writeFile(path.join(dir, "ca.pem"), cert.cert);
  await writeFile(path.join(dir, "server.pem"), cert.cert);
  await writeFile(path.join(dir, "server-key.pem"), cert.private);
  return { stateDir, serverCert: cert.cert };
}

describe("ensureTls", () => {
  it("reuses stored material that names every host", async () => {
    const stored = await storedMaterial(names);
    expect((await ensureTls(stored.stateDir)).serverCert).toBe(stored.serverCert);
  });

  it("makes new material when the stored certificate lacks a host it now needs (portal.azure.com)", async () => {
    const stored = await storedMaterial(names.filter((n) => n !== "portal.azure.com"));
    const material = await ensureTls(stored.stateDir);
    expect(material.serverCert).not.toBe(stored.serverCert);
    const sans = new X509Certificate(material.serverCert).subjectAltName?.split(", ") ?? [];
    expect(sans).toEqual(expect.arrayContaining(names.map((n) => `DNS:${n}`)));
    expect((await ensureTls(stored.stateDir)).serverCert).toBe(material.serverCert);
  });

  it("does not take a longer name for a needed one", async () => {
    const stored = await storedMaterial([...names.filter((n) => n !== "portal.azure.com"), "portal.azure.com.example"]);
    expect((await ensureTls(stored.stateDir)).serverCert).not.toBe(stored.serverCert);
  });
});
