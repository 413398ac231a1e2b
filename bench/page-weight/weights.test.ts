import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { routeWeights } from "./weights";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A .next directory as `next build` leaves it, reduced to what routeWeights reads. */
function fakeBuild(pages: Record<string, { route: string; entries: Record<string, string[]> }>, chunks: Record<string, string>) {
  dir = mkdtempSync(path.join(os.tmpdir(), "page-weight-"));
  writeFileSync(path.join(dir, "BUILD_ID"), "test");
  writeFileSync(path.join(dir, "build-manifest.json"), JSON.stringify({ rootMainFiles: ["static/chunks/runtime.js"], polyfillFiles: ["static/chunks/polyfills.js"] }));
  writeFileSync(
    path.join(dir, "app-path-routes-manifest.json"),
    JSON.stringify({ ...Object.fromEntries(Object.entries(pages).map(([page, p]) => [page, p.route])), "/api/health/route": "/api/health" }),
  );
  for (const [page, p] of Object.entries(pages)) {
    const file = path.join(dir, "server", "app", `${page}_client-reference-manifest.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    const manifest = { clientModules: {}, entryJSFiles: p.entries };
    writeFileSync(file, `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(page)}] = ${JSON.stringify(manifest)};\n`);
  }
  mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
  for (const [name, content] of Object.entries(chunks)) writeFileSync(path.join(dir, "static", "chunks", name), content);
  return dir;
}

const gz = (s: string) => gzipSync(Buffer.from(s)).length;

describe("page weight", () => {
  it("sums each page's root and segment chunks once, a shared chunk in every page that loads it", () => {
    const chunks = { "runtime.js": "runtime ".repeat(50), "layout.js": "layout ".repeat(40), "grants.js": "grants ".repeat(30), "polyfills.js": "x".repeat(9999) };
    const next = fakeBuild(
      {
        "/(console)/grants/page": {
          route: "/grants",
          entries: { "[project]/app/layout": ["static/chunks/layout.js"], "[project]/app/(console)/grants/page": ["static/chunks/layout.js", "static/chunks/grants.js"] },
        },
        "/sign-in/page": { route: "/sign-in", entries: { "[project]/app/layout": ["static/chunks/layout.js"] } },
      },
      chunks,
    );
    expect(routeWeights(next)).toEqual([
      { route: "/grants", chunks: 3, bytes: 400 + 280 + 210, gzipBytes: gz(chunks["runtime.js"]) + gz(chunks["layout.js"]) + gz(chunks["grants.js"]) },
      { route: "/sign-in", chunks: 2, bytes: 400 + 280, gzipBytes: gz(chunks["runtime.js"]) + gz(chunks["layout.js"]) },
    ]);
  });

  it("refuses a directory without a production build", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "page-weight-"));
    expect(() => routeWeights(dir)).toThrow(/no production build/);
  });
});
