import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, type InlineConfig } from "vite";
import { publicRoutes } from "@/lib/api/public-routes";
import { buildManifest } from "@/extension/manifest";
import { renderIcon } from "@/extension/icon";

/**
 * `npm run build:extension`: the MV3 extension in extension/.output/chrome-mv3, ready to load unpacked.
 * Three Vite builds, because each part has its own module rules: the popup is an HTML page (ES modules),
 * the background a module service worker, and the content script one classic script (IIFE), since
 * Chrome does not load content scripts as modules. Not minified, so a reviewer can read what ships.
 */
const root = path.join(import.meta.dirname, "..", "extension");
const outDir = path.join(root, ".output", "chrome-mv3");
const { version } = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string };


const shared: InlineConfig = {
  configFile: false,
  logLevel: "warn",
  publicDir: false,
  resolve: { alias: { "@": path.join(import.meta.dirname, "..") } },
  define: { "process.env.NODE_ENV": JSON.stringify("production"), STINT_ROUTES: JSON.stringify(publicRoutes()) },
  build: { outDir, emptyOutDir: false, minify: false, sourcemap: false, target: "chrome116", modulePreload: false },
};

function script(entry: string, format: "es" | "iife", fileName: string): InlineConfig {
  return {
    ...shared,
    build: { ...shared.build, lib: { entry: path.join(root, "src", entry), formats: [format], name: "stint", fileName: () => fileName } },
  };
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
await build({ ...shared, root: path.join(root, "src", "popup"), base: "./", build: { ...shared.build, rollupOptions: { input: path.join(root, "src", "popup", "popup.html") } } });
await build(script("background/index.ts", "es", "background.js"));
await build(script("content/index.ts", "iife", "content.js"));

mkdirSync(path.join(outDir, "icons"), { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(path.join(outDir, "icons", `${size}.png`), renderIcon(size));
writeFileSync(path.join(outDir, "manifest.json"), JSON.stringify(buildManifest(version), null, 2));
console.log(`Built the Stint extension ${version} in ${path.relative(process.cwd(), outDir)}`);
