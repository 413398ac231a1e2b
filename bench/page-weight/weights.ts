import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

/** The most JavaScript (gzip) a first load of one page may need: 200 kB, in bytes. */
export const PAGE_WEIGHT_BUDGET = 200_000;

export type RouteWeight = {
  route: string;
  chunks: number;
  bytes: number;
  gzipBytes: number;
};

/** The client reference manifest of one app page: the JS chunks of each segment it renders, by segment. */
type ClientReferenceManifest = { entryJSFiles?: Record<string, string[]> };

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/**
 * A page's client reference manifest is a script that stores the manifest on `globalThis.__RSC_MANIFEST`
 * under the page's name; it is run in a context of its own.
 */
function clientReferenceManifest(nextDir: string, page: string): ClientReferenceManifest {
  const file = path.join(nextDir, "server", "app", `${page}_client-reference-manifest.js`);
  const context: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  vm.runInNewContext(readFileSync(file, "utf8"), context, { filename: file });
  const manifest = context.__RSC_MANIFEST?.[page];
  if (!manifest?.entryJSFiles) throw new Error(`${file} names no entry chunks for ${page}`);
  return manifest;
}

/**
 * The JavaScript a first load of each app page needs, from a production build in `nextDir` (.next): the
 * root chunks every page loads (Next's runtime, React; build-manifest.json's rootMainFiles) and the chunks
 * of every segment of the page (its layouts, error and not-found boundaries and the page itself; the page's
 * client reference manifest). A chunk shared by many pages counts in each. Chunks a page fetches later
 * (dynamic imports) do not count, nor the polyfills only browsers without ES modules load. Heaviest first.
 */
export function routeWeights(nextDir: string): RouteWeight[] {
  if (!existsSync(path.join(nextDir, "BUILD_ID"))) throw new Error(`no production build in ${nextDir}: run \`npx next build\` first`);
  const { rootMainFiles } = readJson<{ rootMainFiles: string[] }>(path.join(nextDir, "build-manifest.json"));
  const routes = readJson<Record<string, string>>(path.join(nextDir, "app-path-routes-manifest.json"));
  const sizes = new Map<string, { bytes: number; gzipBytes: number }>();
  const sizeOf = (chunk: string) => {
    let size = sizes.get(chunk);
    if (!size) {
      const content = readFileSync(path.join(nextDir, chunk));
      size = { bytes: content.length, gzipBytes: gzipSync(content).length };
      sizes.set(chunk, size);
    }
    return size;
  };
  const weights = Object.entries(routes)
    .filter(([page]) => page.endsWith("/page"))
    .map(([page, route]) => {
      const chunks = new Set([...rootMainFiles, ...Object.values(clientReferenceManifest(nextDir, page).entryJSFiles!).flat()]);
      const total = [...chunks].map(sizeOf).reduce((a, s) => ({ bytes: a.bytes + s.bytes, gzipBytes: a.gzipBytes + s.gzipBytes }), { bytes: 0, gzipBytes: 0 });
      return { route, chunks: chunks.size, ...total };
    });
  if (weights.length === 0) throw new Error(`${nextDir}/app-path-routes-manifest.json names no pages`);
  return weights.sort((a, b) => b.gzipBytes - a.gzipBytes || a.route.localeCompare(b.route));
}
