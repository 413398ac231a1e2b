import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

/** Where the e2e suite launches its browser (playwright.config.ts, e2e/support/extension.ts). */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";
export const INSTALL_COMMAND = "sudo apt-get install -y chromium";

/** What the check needs from the machine; injected so the decision can be tested without apt-get. */
export type ChromiumProbes = {
  /** CHROMIUM_PATH, if set. */
  configuredPath: string | undefined;
  exists: (file: string) => boolean;
  isRoot: () => boolean;
  hasAptGet: () => boolean;
  /** Runs apt-get with these arguments, its output shown; resolves to its exit code. */
  aptGet: (args: string[]) => Promise<number>;
  log: (msg: string) => void;
};

export type ChromiumCheck = { ok: true; path: string } | { ok: false; message: string };

/**
 * The e2e suite needs Debian's Chromium. Checked before any suite runs, so a machine without it learns
 * so in a second rather than after the twelve minutes the other suites take. As root with apt-get the
 * check installs it (as .ci/run does); otherwise it names the command to run.
 */
export async function ensureChromium(probes: ChromiumProbes): Promise<ChromiumCheck> {
  const browser = probes.configuredPath ?? DEFAULT_CHROMIUM_PATH;
  if (probes.exists(browser)) return { ok: true, path: browser };
  if (probes.configuredPath !== undefined && probes.configuredPath !== DEFAULT_CHROMIUM_PATH) {
    return { ok: false, message: `CHROMIUM_PATH is ${browser}, but there is no browser there. Point it at Chromium, or unset it and run: ${INSTALL_COMMAND}` };
  }
  if (!probes.isRoot() || !probes.hasAptGet()) {
    return { ok: false, message: `The e2e suite needs Debian's Chromium at ${browser}, which is missing. Install it with: ${INSTALL_COMMAND}` };
  }

  probes.log(`Chromium is missing at ${browser}; the e2e suite needs it, so installing Debian's "chromium" package: apt-get install -y chromium`);
  let code = await probes.aptGet(["install", "-y", "chromium"]);
  if (code !== 0) {
    // A fresh machine often has no package lists yet, and then apt-get cannot find the package.
    probes.log(`apt-get install failed (exit ${code}); updating the package lists and trying again`);
    const updated = await probes.aptGet(["update"]);
    code = updated === 0 ? await probes.aptGet(["install", "-y", "chromium"]) : updated;
  }
  if (code === 0 && probes.exists(browser)) {
    probes.log(`apt-get installed chromium: ${browser} is there now`);
    return { ok: true, path: browser };
  }
  const outcome = code === 0 ? `apt-get finished but ${browser} is still missing` : `apt-get failed (exit ${code})`;
  return { ok: false, message: `The e2e suite needs Debian's Chromium at ${browser}; ${outcome}. Install it with: ${INSTALL_COMMAND}` };
}

/** The probes of this machine. */
export function machineProbes(log: (msg: string) => void): ChromiumProbes {
  return {
    configuredPath: process.env.CHROMIUM_PATH || undefined,
    exists: existsSync,
    isRoot: () => process.getuid?.() === 0,
    hasAptGet: () => (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(`${dir}/apt-get`)),
    aptGet: (args) =>
      new Promise((resolve) => {
        const child = spawn("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
        child.on("error", () => resolve(127));
        child.on("exit", (code) => resolve(code ?? 1));
      }),
    log,
  };
}
