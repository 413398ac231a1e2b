import { describe, expect, it } from "vitest";
import { ensureChromium, type ChromiumProbes } from "./chromium-check";

/** A machine where the browser appears once an `apt-get install` succeeds; apt-get answers from `results`, in order. */
function machine(opts: { present?: string[]; root?: boolean; aptGet?: boolean; configuredPath?: string; results?: number[] }) {
  const files = new Set(opts.present ?? []);
  const results = [...(opts.results ?? [])];
  const aptCalls: string[][] = [];
  const logs: string[] = [];
  const probes: ChromiumProbes = {
    configuredPath: opts.configuredPath,
    exists: (file) => files.has(file),
    isRoot: () => opts.root ?? false,
    hasAptGet: () => opts.aptGet ?? true,
    aptGet: async (args) => {
      aptCalls.push(args);
      const code = results.shift() ?? 0;
      if (code === 0 && args[0] === "install") files.add("/usr/bin/chromium");
      return code;
    },
    log: (msg) => logs.push(msg),
  };
  return { probes, aptCalls, logs };
}

describe("ensureChromium", () => {
  it("finds Debian's Chromium and installs nothing", async () => {
    const m = machine({ present: ["/usr/bin/chromium"], root: true });
    expect(await ensureChromium(m.probes)).toEqual({ ok: true, path: "/usr/bin/chromium" });
    expect(m.aptCalls).toEqual([]);
  });

  it("finds the browser CHROMIUM_PATH names", async () => {
    const m = machine({ present: ["/opt/chrome/chrome"], configuredPath: "/opt/chrome/chrome" });
    expect(await ensureChromium(m.probes)).toEqual({ ok: true, path: "/opt/chrome/chrome" });
  });

  it("as root with apt-get, installs the chromium package and says so", async () => {
    const m = machine({ root: true });
    expect(await ensureChromium(m.probes)).toEqual({ ok: true, path: "/usr/bin/chromium" });
    expect(m.aptCalls).toEqual([["install", "-y", "chromium"]]);
    expect(m.logs[0]).toContain(`installing Debian's "chromium" package`);
    expect(m.logs.at(-1)).toBe("apt-get installed chromium: /usr/bin/chromium is there now");
  });

  it("updates the package lists and tries again when the first install fails", async () => {
    const m = machine({ root: true, results: [100, 0, 0] });
    expect(await ensureChromium(m.probes)).toEqual({ ok: true, path: "/usr/bin/chromium" });
    expect(m.aptCalls).toEqual([["install", "-y", "chromium"], ["update"], ["install", "-y", "chromium"]]);
    expect(m.logs).toContain("apt-get install failed (exit 100); updating the package lists and trying again");
  });

  it("stops with the command to run when apt-get cannot install it", async () => {
    const m = machine({ root: true, results: [100, 0, 100] });
    const check = await ensureChromium(m.probes);
    expect(check).toEqual({ ok: false, message: expect.stringContaining("apt-get failed (exit 100). Install it with: sudo apt-get install -y chromium") });
  });

  it("refuses without root, naming the one command, and runs no apt-get", async () => {
    const m = machine({ root: false });
    expect(await ensureChromium(m.probes)).toEqual({
      ok: false,
      message: "The e2e suite needs Debian's Chromium at /usr/bin/chromium, which is missing. Install it with: sudo apt-get install -y chromium",
    });
    expect(m.aptCalls).toEqual([]);
  });

  it("refuses as root on a machine without apt-get", async () => {
    const m = machine({ root: true, aptGet: false });
    expect(await ensureChromium(m.probes)).toMatchObject({ ok: false, message: expect.stringContaining("sudo apt-get install -y chromium") });
    expect(m.aptCalls).toEqual([]);
  });

  it("does not install over a CHROMIUM_PATH that points nowhere", async () => {
    const m = machine({ root: true, configuredPath: "/opt/missing/chrome" });
    expect(await ensureChromium(m.probes)).toMatchObject({ ok: false, message: expect.stringContaining("CHROMIUM_PATH is /opt/missing/chrome") });
    expect(m.aptCalls).toEqual([]);
  });
});
