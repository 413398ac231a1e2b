import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { replaceBlock } from "../doc-block";
import { markdownTable, textTable } from "../stats";
import type { ScenarioResult, Timing } from "./judge";

export type SoakRun = {
  date: string;
  commit: string;
  machine: string;
  node: string;
  postgres: string;
  redis: string;
  jobLockSeconds: number;
  sweepSeconds: number;
  workers: string;
  emulatorLatencyMs: number;
  durationSeconds: number;
};

/** A scenario that could not be run to its end: the error instead of a judgement. */
export type ScenarioOutcome = ScenarioResult | { name: string; title: string; error: string };

const BEGIN = "<!-- soak:results:begin -->";
const END = "<!-- soak:results:end -->";

const seconds = (v: number | null) => (v === null ? "never" : v < 10_000 ? `${(v / 1000).toFixed(2)} s` : `${(v / 1000).toFixed(0)} s`);
const timing = (t: Timing) => (t.n === 0 ? "—" : `${seconds(t.p50)} / ${seconds(t.p99)} / ${seconds(t.max)}${t.never ? ` (${t.never} never)` : ""}`);
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${v} × ${k}`)
    .join("; ");

export function missed(o: ScenarioOutcome): string[] {
  if ("error" in o) return [`did not finish: ${o.error}`];
  return o.checks.filter((c) => !c.met).map((c) => `${c.label} (${c.detail})`);
}

function rows(outcomes: ScenarioOutcome[]): string[][] {
  const header = [
    "Scenario", "Requested", "Active", "Failed (forced / other)", "Duplicates", "Orphans", "After end: enabled / roles / passes / sessions",
    "Not final", "Request → active p50 / p99 / max", "End → verified p50 / p99 / max", "Targets met",
  ];
  return [
    header,
    ...outcomes.map((o) => {
      if ("error" in o) return [o.title, "—", "—", "—", "—", "—", "—", "—", "—", "—", "**did not finish**"];
      const notFinal = Object.values(o.notFinal).reduce((a, b) => a + b, 0);
      const misses = missed(o).length;
      return [
        o.title,
        String(o.requested + Object.values(o.refused).reduce((a, b) => a + b, 0)) + (Object.keys(o.refused).length ? ` (${Object.values(o.refused).reduce((a, b) => a + b, 0)} refused)` : ""),
        String(o.active),
        `${o.failed.forced}/${o.failed.forcedRequested} / ${o.failed.other}`,
        String(o.duplicates),
        String(o.orphans),
        `${o.afterEnd.enabled} / ${o.afterEnd.roles} / ${o.afterEnd.passes} / ${o.afterEnd.sessions}`,
        notFinal ? `${notFinal} (${Object.entries(o.notFinal).map(([s, n]) => `${n} ${s}`).join(", ")})` : "0",
        timing(o.requestToActive),
        `${timing(o.endToVerified)} (target p99 ≤ ${o.targetMs / 1000} s)`,
        misses ? `**no**: ${misses} of ${o.checks.length} missed` : `yes (${o.checks.length})`,
      ];
    }),
  ];
}

/** The scenario's heading line, then one line per finding. */
function details(o: ScenarioOutcome): string[] {
  if ("error" in o) return [`**${o.title}** did not finish: ${o.error}`];
  const out = [
    `**${o.title}** (${o.seconds} s; the machine's CPUs ${o.cpuBusyPercent ?? "?"} % busy, all processes)`,
    ...o.notes,
    `Missed: ${missed(o).join("; ") || "nothing"}.`,
    `Failed grants: ${list(o.failed.reasons) || "none"}. A failed provisioning left ${o.failedLeftovers.accounts} accounts (${o.failedLeftovers.enabled} enabled, ${o.failedLeftovers.withRoles} holding roles, ${o.failedLeftovers.softDeleted} only in deleted items).`,
    `End → expiry started (Stint's expiry_started_at) p50 / p99 / max: ${timing(o.endToExpiryStart)}. End → access gone in Graph (snapshots every 100 ms) p50 / p99 / max: ${timing(o.endToGoneInGraph)}; grants Stint called ended while Graph still showed access: ${o.endedWhileGraphShowedAccess}; accounts whose access came back after it was gone: ${o.accessReturned}.`,
    `Expiry actions, end → proven p50 / p99 / max (failed runs): ${Object.entries(o.expiryActions).map(([a, t]) => `${a} ${timing(t.proven)} (${t.failedRuns})`).join("; ") || "none"}.`,
    `Slowest ends, steps in seconds from the end: ${o.slowestExpiries.join(" · ") || "none"}.`,
    `Graph: ${o.graph.calls} calls, ${o.graph.throttled} answered 429, ${o.graph.serverErrors} 5xx; other than 2xx/3xx: ${list(o.graph.refusals) || "none"}.`,
  ];
  if (Object.keys(o.refused).length) out.push(`Requests refused: ${list(o.refused)}.`);
  const failures = Object.entries(o.jobFailures).slice(0, 8);
  out.push(`Job attempts that failed (workers' logs): ${failures.length ? failures.map(([k, v]) => `${v} × ${k}`).join("; ") : "none"}.`);
  if (o.errors.length) out.push(`Soak errors: ${o.errors.slice(0, 5).join("; ")}.`);
  return out;
}

export function runLine(run: SoakRun): string {
  return `${run.date} · product at commit ${run.commit} · ${run.machine} · Node ${run.node} · ${run.postgres} · Redis ${run.redis} · ${run.workers} · JOB_LOCK_SECONDS ${run.jobLockSeconds} · SWEEP_EVERY_SECONDS ${run.sweepSeconds} · emulator latency ${run.emulatorLatencyMs} ms per call · whole run ${run.durationSeconds} s`;
}

export function printOutcomes(run: SoakRun, outcomes: ScenarioOutcome[]): void {
  console.log(`\nsoak: ${runLine(run)}\n`);
  console.log(textTable(rows(outcomes)));
  for (const o of outcomes) console.log(`\n${details(o).join("\n- ")}`);
}

/** Replaces the results block of docs/reliability.md; the text around it is written by hand. */
export async function writeOutcomes(run: SoakRun, outcomes: ScenarioOutcome[]): Promise<string> {
  const file = path.resolve(import.meta.dirname, "../../docs/reliability.md");
  const text = await readFile(file, "utf8").catch(() => "# Reliability\n");
  const block = [
    BEGIN,
    "_Written by `npm run soak`; the text around this block is not._",
    "",
    `Run: ${runLine(run)}.`,
    "",
    markdownTable(rows(outcomes)),
    "",
    ...outcomes.flatMap((o) => [details(o).join("\n- "), ""]),
    END,
  ].join("\n");
  await writeFile(file, replaceBlock(text, BEGIN, END, block, "Results of the last run"));
  return file;
}
