import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { replaceBlock } from "../doc-block";
import { markdownTable, textTable } from "../stats";
import type { PageScores } from "./audit";

export type LighthouseRun = { date: string; commit: string; machine: string; busyPercent: number; lighthouse: string; chromium: string; runs: number };

const BEGIN = "<!-- lighthouse:begin -->";
const END = "<!-- lighthouse:end -->";

/** Stint's targets: performance at least 95 and accessibility 100 on every page audited. */
export const TARGETS = { performance: 95, accessibility: 100 };

const met = (p: PageScores) => p.performance >= TARGETS.performance && p.accessibility >= TARGETS.accessibility;

function rows(pages: PageScores[]): string[][] {
  return [
    ["Page", "Performance", "Accessibility", "Best practices", "FCP", "LCP", "TBT", "CLS", "JS transferred", "Targets met"],
    ...pages.map((p) => [
      `${p.name} (${p.path})`,
      `${p.performance}${p.runs.length > 1 ? ` (runs: ${p.runs.join(", ")})` : ""}`,
      String(p.accessibility),
      String(p.bestPractices),
      `${Math.round(p.fcpMs)} ms`,
      `${Math.round(p.lcpMs)} ms`,
      `${Math.round(p.tbtMs)} ms`,
      p.cls.toFixed(3),
      `${(p.scriptTransferBytes / 1000).toFixed(1)} kB`,
      met(p) ? "yes" : "**no**",
    ]),
  ];
}

/** One line per page that lost points somewhere: which audits cost them. */
function details(pages: PageScores[]): string[] {
  return pages.flatMap((p) => {
    const lost = Object.entries(p.shortfalls).filter(([, audits]) => audits.length > 0);
    return lost.length === 0 ? [] : [`${p.name}: ${lost.map(([category, audits]) => `${category} — ${audits.join(", ")}`).join("; ")}.`];
  });
}

export function runLine(run: LighthouseRun): string {
  return `${run.date} · product at commit ${run.commit} · Lighthouse ${run.lighthouse}, desktop preset · ${run.chromium}, headless · ${run.runs} run(s) a page, the median shown · ${run.machine}, its CPUs ${run.busyPercent} % busy during the runs (all processes, Lighthouse and Chromium included)`;
}

export function printScores(run: LighthouseRun, pages: PageScores[]): void {
  console.log(`\nlighthouse: ${runLine(run)}\n`);
  console.log(textTable(rows(pages).map((r) => r.map((c) => c.replace(/\*\*/g, "")))));
  const lines = details(pages);
  if (lines.length) console.log(`\n${lines.join("\n")}`);
}

/** Replaces the Lighthouse block of docs/performance.md; the text around it is written by hand. */
export async function writeScores(run: LighthouseRun, pages: PageScores[]): Promise<string> {
  const file = path.resolve(import.meta.dirname, "../../docs/performance.md");
  const text = await readFile(file, "utf8");
  const lines = details(pages);
  const block = [
    BEGIN,
    "_Written by `npm run lighthouse -- --write`; the text around this block is not._",
    "",
    `Run: ${runLine(run)}.`,
    "",
    markdownTable(rows(pages)),
    "",
    ...(lines.length ? ["Audits that cost points (score 0–1; performance audits below 0.9):", "", ...lines.map((l) => `- ${l}`), ""] : []),
    END,
  ].join("\n");
  await writeFile(file, replaceBlock(text, BEGIN, END, block, "Lighthouse"));
  return file;
}

export const allMet = (pages: PageScores[]) => pages.every(met);
