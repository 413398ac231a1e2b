import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { sandboxIdentity } from "@/emulator/sandbox";
import { defaultStateDir } from "@/emulator/server";
import { ensureTls } from "@/emulator/tls";

export type SandboxEmulator = { env: Record<string, string>; child: ChildProcess; url: string };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/**
 * Node trusts extra CAs only from NODE_EXTRA_CA_CERTS, read at process start: one bundle with the
 * CAs already configured on this machine plus the emulator's CA, for web and worker to start with.
 */
function writeTrustBundle(caCertPath: string): string {
  const bundle = path.join(path.dirname(caCertPath), "trust-bundle.pem");
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  const parts = [existing && existsSync(existing) && existing !== bundle ? readFileSync(existing, "utf8") : "", readFileSync(caCertPath, "utf8")];
  writeFileSync(bundle, parts.filter(Boolean).join("\n"));
  return bundle;
}

function waitUntilServing(url: string, ca: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      https
        .get(`${url}/${sandboxIdentity.tenantId}/v2.0/.well-known/openid-configuration`, { ca }, (res) => {
          res.resume();
          resolve();
        })
        .on("error", (err) => (Date.now() > deadline ? reject(err) : setTimeout(attempt, 200)));
    };
    attempt();
  });
}

/**
 * Runs the Entra emulator (its own program) with the sandbox tenant and Stint's sandbox app, whose
 * consent redirect is this installation's callback; returns the environment web and worker need.
 */
export async function startSandboxEmulator(args: { root: string; appUrl: string; port?: number; testControl?: boolean }): Promise<SandboxEmulator> {
  const tls = await ensureTls(defaultStateDir);
  const port = args.port ?? (await freePort());
  // The consent pages a person opens come over plain http on loopback: no certificate warning in their browser.
  const browserPort = await freePort();
  const callback = new URL("/api/entra/consent/callback", args.appUrl).toString();
  const child = spawn(
    path.join(args.root, "node_modules", ".bin", "tsx"),
    ["emulator/main.ts", "--sandbox", "--port", String(port), "--browser-port", String(browserPort), "--redirect-uri", callback, "--log-level", "warn", ...(args.testControl ? ["--test-control"] : [])],
    { cwd: args.root, stdio: ["ignore", "ignore", "inherit"] },
  );
  const url = `https://localhost:${port}`;
  await waitUntilServing(url, readFileSync(tls.caCertPath, "utf8"));
  return {
    child,
    url,
    env: {
      NODE_EXTRA_CA_CERTS: writeTrustBundle(tls.caCertPath),
      SANDBOX_EMULATOR_URL: url,
      SANDBOX_BROWSER_URL: `http://localhost:${browserPort}`,
      SANDBOX_TENANT_ID: sandboxIdentity.tenantId,
      SANDBOX_CLIENT_ID: sandboxIdentity.clientId,
      SANDBOX_CLIENT_SECRET: sandboxIdentity.clientSecret,
    },
  };
}
