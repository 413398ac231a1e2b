import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { replaceBlock } from "./doc-block";
import type { ExpiryResult } from "./expiry";
import type { IsolationResult } from "./isolation";
import type { LatencyResult } from "./latency";
import { EMULATOR_LATENCY_MS, TARGETS, THROTTLE } from "./settings";
import { markdownTable, ms, num, textTable } from "./stats";
import type { ThroughputResult } from "./throughput";
import { tokenReadDetails, tokenReadTable, type TokenReadResult } from "./token-read";

export type RunInfo = {
  date: string;
  machine: string;
  node: string;
  postgres: string;
  redis: string;
  redisHz: string;
  redisHzBefore: string;
  maxmemoryPolicy: string;
  workerConcurrency: { expiry: number; provisioning: number; maintenance: number };
  dbPoolMax: number;
  sweepSeconds: number;
  durationSeconds: number;
};

export type Results = { run: RunInfo; latency?: LatencyResult; expiry?: ExpiryResult; throughput?: ThroughputResult; isolation?: IsolationResult; tokenRead?: TokenReadResult };

/** What provision.ts does in each stretch between its Graph stages (POST user ∥ pass policy · POST pass · POST roles · verify). */
const GAP_LABELS = [
  "request returned → first Graph call (queue pick-up; transition to provisioning; connection and customer reads; create_user step row; token from MSAL's cache)",
  "POST user → POST pass (entra_user_id, the policy and the step rows are written beside the pass call)",
  "POST pass → POST roles (pass sealed and stored before any role; step finished; assign_roles step row)",
  "POST roles → verify (the step rows are written beside the verification)",
  "verify → job returned (step finished; transition to active; expiry and renewal timers queued)",
];

const yes = (ok: boolean) => (ok ? "yes" : "**no**");

function headline(r: Results): string[][] {
  const rows: string[][] = [["Measurement", "Stint", "Floor / bound", "Ratio", "Target", "Met"]];
  const l = r.latency;
  if (l) {
    const ratio50 = l.toActive.p50 / l.floor.p50;
    const passRatio50 = l.toActive.p50 / l.passFloor.p50;
    rows.push([
      `1. Request → usable credential with a pass, p50 (${l.grants} grants)`,
      ms(l.toActive.p50),
      `password-only floor p50 ${ms(l.floor.p50)}`,
      `${num(ratio50)}×`,
      `≤ ${TARGETS.latencyRatioP50}× that floor`,
      yes(ratio50 <= TARGETS.latencyRatioP50),
    ]);
    rows.push([
      "1. … against today's minimal sequence",
      ms(l.toActive.p50),
      `pass floor p50 ${ms(l.passFloor.p50)}`,
      `${num(passRatio50)}×`,
      `≤ ${TARGETS.latencyRatioToPassFloorP50}× floor`,
      yes(passRatio50 <= TARGETS.latencyRatioToPassFloorP50),
    ]);
    rows.push(["1. Request → usable credential, p99", ms(l.toActive.p99), `pass floor p99 ${ms(l.passFloor.p99)}`, `${num(l.toActive.p99 / l.passFloor.p99)}×`, "—", "—"]);
  }
  const e = r.expiry;
  if (e) {
    rows.push([`2. Expiry start lateness, p50 / p99 (${e.grants} grants)`, `${ms(e.start.p50)} / ${ms(e.start.p99)}`, "0 ms", "—", `p99 ≤ ${TARGETS.expiryStartP99Ms} ms`, yes(e.start.p99 <= TARGETS.expiryStartP99Ms)]);
    rows.push([
      "2. Expiry verified complete after ends_at, p50 / p99",
      `${ms(e.complete.p50)} / ${ms(e.complete.p99)}`,
      l ? `direct calls p50 ${ms(l.expiryFloor.p50)}` : "—",
      l ? `${num(e.complete.p50 / l.expiryFloor.p50)}× (p50)` : "—",
      `p99 ≤ ${TARGETS.expiryCompleteP99Ms} ms`,
      yes(e.complete.p99 <= TARGETS.expiryCompleteP99Ms && e.ended === e.grants),
    ]);
  }
  const t = r.throughput;
  if (t) {
    const ratio = t.throughput / t.bound;
    rows.push([
      `3. Provisioning under throttling (${t.grants} grants, ${t.tenants} tenants)`,
      `${num(t.throughput)} grants/s`,
      `bound ${num(t.bound)} grants/s`,
      `${num(ratio)}×`,
      `≥ ${TARGETS.throughputRatio}× bound`,
      yes(ratio >= TARGETS.throughputRatio && t.cappedAt === null),
    ]);
    const v = t.verification;
    const lost = t.grants - v.accountsOk;
    rows.push(["3. Lost or duplicated grants", `${lost} lost, ${v.duplicates} duplicated`, "—", "—", "0", yes(lost === 0 && v.duplicates === 0 && v.strayStintAccounts === 0)]);
  }
  return rows;
}

function routes(byRoute: Record<string, number>, per: number): string {
  return Object.entries(byRoute)
    .sort((a, b) => b[1] - a[1])
    .map(([route, n]) => `${route}: ${num(n / per, 2)}`)
    .join("; ");
}

function details(r: Results): string[] {
  const out: string[] = [];
  const l = r.latency;
  if (l) {
    out.push(
      `**1. Request → usable credential.** ${l.grants} grants one after another on one customer. ` +
        `Stint p50 ${ms(l.toActive.p50)}, p90 ${ms(l.toActive.p90)}, p99 ${ms(l.toActive.p99)}, max ${ms(l.toActive.max)}; ` +
        `to usable_from p50 ${ms(l.toUsableFrom.p50)}; BullMQ pick-up p50 ${ms(l.pickup.p50)}, p99 ${ms(l.pickup.p99)}. ` +
        `Of Stint's time, Graph calls in flight p50 ${ms(l.inGraph.p50)} (floor: ${ms(l.floorInGraph.p50)}), Stint's own work between them p50 ${ms(l.outsideGraph.p50)}, p99 ${ms(l.outsideGraph.p99)}. ` +
        `Floors (${l.floor.n} direct sequences each): password-only p50 ${ms(l.floor.p50)}, p99 ${ms(l.floor.p99)}; with the pass p50 ${ms(l.passFloor.p50)}, p99 ${ms(l.passFloor.p99)}, ${num(l.floorCalls, 1)} Graph calls each. ` +
        `Stint made ${num(l.stintCallsPerGrant, 2)} Graph calls (${num(l.stintWritesPerGrant, 2)} writes) per grant and ${l.stintLoginCalls} token requests in all; ` +
        `emulator handling ${num(l.emulatorHandlingMs, 1)} ms per call on top of its ${EMULATOR_LATENCY_MS} ms latency. ` +
        `Credentials revealed and matching the usable pass Entra holds, account enabled with every role: ${l.revealed}/${l.grants}.`,
      `Calls per grant: ${routes(l.stintRoutes, l.grants)}.`,
      ...(l.gapsP50
        ? [
            `Where Stint's own time goes (p50 of each stretch with no Graph call in flight): ${l.gapsP50
              .map((g, i) => `${GAP_LABELS[i] ?? `gap ${i + 1}`} ${ms(g)}`)
              .join("; ")}.`,
          ]
        : []),
    );
  }
  const e = r.expiry;
  if (e) {
    out.push(
      `**2. Expiry.** ${e.grants} grants on ${e.tenants} tenants, ends ${e.endsPerSecond}/s. ` +
        `Timer fired (job start − ends_at) p50 ${ms(e.timer.p50)}, p99 ${ms(e.timer.p99)}, max ${ms(e.timer.max)}; ` +
        `start p50 ${ms(e.start.p50)}, p99 ${ms(e.start.p99)}, max ${ms(e.start.max)}; ` +
        `verified complete p50 ${ms(e.complete.p50)}, p99 ${ms(e.complete.p99)}, max ${ms(e.complete.max)}; ` +
        `work (usable_to − expiry_started_at) p50 ${ms(e.work.p50)}, p99 ${ms(e.work.p99)}. ` +
        `${e.ended}/${e.grants} ended${Object.keys(e.notEnded).length ? ` (not ended: ${JSON.stringify(e.notEnded)})` : ""}; ` +
        `${e.verifiedInEntra}/${e.grants} checked in Entra (disabled, no roles, sessions revoked). ` +
        `${num(e.graphCallsPerExpiry, 1)} Graph calls, ${num(e.writesPerExpiry, 1)} writes per expiry; expiry jobs that ran the actions, per grant: ${JSON.stringify(e.jobsPerGrant)}. ` +
        `Event-loop delay of the Stint process p50 ${num(e.loopDelay.p50, 1)} ms, p99 ${num(e.loopDelay.p99, 1)} ms, max ${num(e.loopDelay.max, 1)} ms.` +
        (Object.keys(e.failures).length ? ` Job attempt failures: ${JSON.stringify(e.failures)}.` : ""),
    );
  }
  const t = r.throughput;
  if (t) {
    out.push(
      `**3. Throughput.** ${t.grants} grants, ${t.tenants} tenants, quota per app+tenant ${t.tenantWriteBurst} writes / ${num(t.tenantWriteBurst / t.tenantWritesPerSecond, 0)} s ` +
        `(${num(t.tenantWritesPerSecond, 2)} writes/s; quotaScale ${THROTTLE.quotaScale}, windowScale ${THROTTLE.windowScale}; ${t.tenantUsers} users per tenant, so ${num(t.tenantResourceUnitsPerSecond, 0)} RU/s), ${t.writesPerGrant} writes per grant: ` +
        `bound ${num(t.bound)} grants/s (${num(t.boundWithBurst)} counting every tenant's initial full bucket). ` +
        `Requests took ${num(t.requestSeconds, 1)} s; ${t.completed} active after ${num(t.seconds, 1)} s = ${num(t.throughput)} grants/s ` +
        `(${num(t.throughput / t.bound)}× bound, ${num(t.throughput / t.boundWithBurst)}× the burst-aware bound); ` +
        `10th→90th percentile completions ${num(t.steadyThroughput)} grants/s.` +
        (t.cappedAt !== null ? ` **Stopped waiting after ${num(t.cappedAt / 1000, 0)} s** with states ${JSON.stringify(t.states)}.` : ` Final states ${JSON.stringify(t.states)}.`),
      `Completions per 10 s: ${t.perTenSeconds.join(", ")}. Admitted writes per 10 s: ${t.writesPerTenSeconds.join(", ")} (the quota allows ${num(t.tenantWritesPerSecond * t.tenants * 10, 0)} per 10 s plus the initial buckets).`,
      `Graph calls ${t.calls.graph} (${num(t.calls.graph / t.grants, 2)} per grant): writes sent ${t.calls.writes}, admitted ${t.calls.writesAdmitted}, ` +
        `429s ${t.calls.throttled} (on writes ${t.calls.throttledWrites}); token requests ${t.calls.login}. ` +
        `Provisioning job attempts per grant: ${JSON.stringify(t.provisionAttempts)}; failed attempts: ${Object.keys(t.jobFailures).length ? JSON.stringify(t.jobFailures) : "none"}. ` +
        `Provisioning job run time p50 ${num(t.jobSeconds.p50)} s, p90 ${num(t.jobSeconds.p90)} s, p99 ${num(t.jobSeconds.p99)} s, mean ${num(t.jobSeconds.mean)} s; ` +
        `busy provisioning slots on average ${num(t.busySlots, 1)} of ${t.slots}, ${num(t.retryAfterShare * 100, 0)} % of that slot time spent sleeping out Retry-After (${num(t.retryAfterSeconds, 0)} s). ` +
        `Event-loop delay of the Stint process p50 ${num(t.loopDelay.p50, 1)} ms, p99 ${num(t.loopDelay.p99, 1)} ms, max ${num(t.loopDelay.max, 1)} ms.`,
      `Entra check: ${t.verification.accountsOk} grants with exactly one enabled account holding every role; missing ${t.verification.missing}, duplicated ${t.verification.duplicates}, ` +
        `missing roles ${t.verification.missingRoles}, disabled ${t.verification.disabled}, stray Stint-tagged accounts ${t.verification.strayStintAccounts}.`,
      `Calls per grant: ${routes(t.calls.routes, t.grants)}.`,
    );
  }
  const i = r.isolation;
  if (i) {
    out.push(
      `**Probe: expiry isolation.** ${i.throttledGrants} grants on a tenant answering every Graph call 503 with Retry-After ${i.retryAfterSeconds} s end together; ${i.healthyGrants} grants on a healthy tenant end 1 s later ` +
        `(${i.expirySlots} expiry slots). Healthy grants: expiry start lateness p50 ${ms(i.healthyStart.p50)}, max ${ms(i.healthyStart.max)}; complete p50 ${ms(i.healthyComplete.p50)}, max ${ms(i.healthyComplete.max)}; ` +
        `${i.healthyEnded}/${i.healthyGrants} ended within ${i.capSeconds} s. Misbehaving tenant's grants ended within that time: ${i.throttledEndedWithinCap}/${i.throttledGrants}.`,
    );
  }
  return out;
}

function settingsLine(run: RunInfo): string {
  return (
    `${run.date} · ${run.machine} · Node ${run.node} · ${run.postgres} · Redis ${run.redis} (hz ${run.redisHz} for the run, was ${run.redisHzBefore}; maxmemory-policy ${run.maxmemoryPolicy}) · ` +
    `emulator latency ${EMULATOR_LATENCY_MS} ms per call · worker concurrency expiry ${run.workerConcurrency.expiry} / provisioning ${run.workerConcurrency.provisioning} / maintenance ${run.workerConcurrency.maintenance} · ` +
    `DB pool ${run.dbPoolMax} · sweep every ${run.sweepSeconds} s · whole bench ${num(run.durationSeconds, 0)} s`
  );
}

const hasLifecycle = (r: Results) => Boolean(r.latency || r.expiry || r.throughput || r.isolation);

export function printResults(r: Results): void {
  console.log("");
  console.log(settingsLine(r.run));
  console.log("");
  if (hasLifecycle(r)) {
    console.log(textTable(headline(r).map((row) => row.map((c) => c.replace(/\*\*/g, "")))));
    console.log("");
    for (const paragraph of details(r)) console.log(paragraph.replace(/\*\*/g, ""), "\n");
  }
  if (r.tokenRead) {
    console.log(textTable(tokenReadTable(r.tokenRead).map((row) => row.map((c) => c.replace(/\*\*/g, "")))));
    console.log("");
    for (const paragraph of tokenReadDetails(r.tokenRead)) console.log(paragraph.replace(/\*\*/g, ""), "\n");
  }
}

const BEGIN = "<!-- bench:results:begin -->";
const END = "<!-- bench:results:end -->";
const TOKEN_BEGIN = "<!-- bench:token-read:begin -->";
const TOKEN_END = "<!-- bench:token-read:end -->";

/**
 * Replaces the results blocks of docs/performance.md (the prose around them is kept): the lifecycle block
 * when any lifecycle measurement ran, the token-read block when that one ran.
 */
export async function writeResults(r: Results): Promise<string> {
  const file = path.resolve(import.meta.dirname, "../docs/performance.md");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    text = `# Performance\n`;
  }
  if (hasLifecycle(r)) {
    const block = [
      BEGIN,
      `_Written by \`npm run bench\`; the text around this block is not._`,
      "",
      `Run: ${settingsLine(r.run)}.`,
      "",
      markdownTable(headline(r)),
      "",
      ...details(r).flatMap((p) => [p, ""]),
      END,
    ].join("\n");
    text = replaceBlock(text, BEGIN, END, block, "Results of the last run");
  }
  if (r.tokenRead) {
    const block = [
      TOKEN_BEGIN,
      `_Written by \`npm run bench\` (or \`BENCH_ONLY=token-read npm run bench\`); the text around this block is not._`,
      "",
      `Run: ${settingsLine(r.run)}.`,
      "",
      markdownTable(tokenReadTable(r.tokenRead)),
      "",
      ...tokenReadDetails(r.tokenRead).flatMap((p) => [p, ""]),
      TOKEN_END,
    ].join("\n");
    text = replaceBlock(text, TOKEN_BEGIN, TOKEN_END, block, "Token-authenticated read");
  }
  await writeFile(file, text);
  return file;
}
