import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { replaceBlock } from "./doc-block";
import { PAGE_WEIGHT_BUDGET, routeWeights, type RouteWeight } from "./page-weight/weights";
import { markdownTable, textTable } from "./stats";

/**
 * `npm run page-weight [-- --write]`, after `npx next build`: the JavaScript (gzip) a first load of each
 * page needs, against the budget of 200 kB; exits 1 when a page is over it (`npm test` runs it after the
 * build). With --write, the table goes into docs/performance.md.
 */
const { values } = parseArgs({ options: { write: { type: "boolean", default: false } } });
const root = path.resolve(import.meta.dirname, "..");
const BEGIN = "<!-- page-weight:begin -->";
const END = "<!-- page-weight:end -->";

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

function rows(weights: RouteWeight[]): string[][] {
  return [
    ["Page", "Chunks", "JS", "JS gzip", `Within ${kB(PAGE_WEIGHT_BUDGET)}`],
    ...weights.map((w) => [w.route, String(w.chunks), kB(w.bytes), kB(w.gzipBytes), w.gzipBytes <= PAGE_WEIGHT_BUDGET ? "yes" : "**no**"]),
  ];
}

async function write(weights: RouteWeight[]): Promise<string> {
  const file = path.join(root, "docs", "performance.md");
  const text = await readFile(file, "utf8");
  const block = [
    BEGIN,
    "_Written by `npm run page-weight -- --write` after `npx next build`; the text around this block is not._",
    "",
    markdownTable(rows(weights)),
    END,
  ].join("\n");
  await writeFile(file, replaceBlock(text, BEGIN, END, block, "Page weight"));
  return file;
}

const weights = routeWeights(path.join(root, ".next"));
console.log(textTable(rows(weights).map((r) => r.map((c) => c.replace(/\*\*/g, "")))));
if (values.write) console.log(`\nwrote ${path.relative(process.cwd(), await write(weights))}`);
const over = weights.filter((w) => w.gzipBytes > PAGE_WEIGHT_BUDGET);
if (over.length > 0) {
  console.error(`\n${over.length} page(s) need more than ${kB(PAGE_WEIGHT_BUDGET)} of JavaScript (gzip) at first load: ${over.map((w) => `${w.route} ${kB(w.gzipBytes)}`).join(", ")}`);
  process.exit(1);
}
console.log(`\nevery page within ${kB(PAGE_WEIGHT_BUDGET)} of JavaScript (gzip) at first load`);
