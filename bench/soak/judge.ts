import type { UserSnapshot } from "@/emulator/control/control";
import type { Revocation } from "@/emulator/state";
import { finalStates } from "@/lib/grants/states";
import type { CallStats } from "../emulator-host";
import type { ExpiryStepRun } from "./expiry-steps";
import type { AccountTrace } from "./graph-watch";
import type { Scenario } from "./scenarios";
import { VERIFY_SLACK_MS } from "./settings";
import type { GrantRow, PlannedGrant, Refusal } from "./traffic";

/** What a scenario left behind, judged from the emulator's snapshots and traces; Stint's rows give states and times. */

export type TenantState = { tenantId: string; users: UserSnapshot[]; deletedUsers: UserSnapshot[]; revocations: Revocation[] };

/** A target, or a check a disturbance adds to them. */
export type Check = { label: string; met: boolean; detail: string };

/** While a tenant could not be reached (consent revoked), ends falling in the window are timed from its close. */
export type Unreachable = Record<string, { from: number; until: number }>;

export type Evidence = {
  scenario: Scenario;
  grants: PlannedGrant[];
  rows: Map<string, GrantRow>;
  expirySteps: ExpiryStepRun[];
  traces: AccountTrace[];
  tenants: TenantState[];
  refusals: Refusal[];
  unreachable: Unreachable;
  checks: Check[];
  notes: string[];
  graph: CallStats;
  jobFailures: { job: string; message: string }[];
  errors: string[];
  startedAt: number;
  finishedAt: number;
};

/** Percentiles over what was reached; what never was counts as longer than anything (null when a percentile lands there). */
export type Timing = { n: number; p50: number | null; p99: number | null; max: number | null; never: number };

export type ScenarioResult = {
  name: string;
  title: string;
  startedAt: string;
  seconds: number;
  requested: number;
  refused: Record<string, number>;
  active: number;
  failed: { forced: number; forcedRequested: number; other: number; reasons: Record<string, number> };
  duplicates: number;
  orphans: number;
  failedLeftovers: { accounts: number; enabled: number; withRoles: number; softDeleted: number };
  afterEnd: { enabled: number; roles: number; passes: number; sessions: number };
  notFinal: Record<string, number>;
  requestToActive: Timing;
  endToVerified: Timing;
  /** Stint's expiry_started_at − the end: how late the timer (or sweeper) started the expiry. */
  endToExpiryStart: Timing;
  endToGoneInGraph: Timing;
  /** Per expiry action, over grants that ended: the end → the action proven, and its runs that failed. */
  expiryActions: Record<string, { proven: Timing; failedRuns: number }>;
  /** The slowest ends, each as its steps from the end: where the time went. */
  slowestExpiries: string[];
  endedWhileGraphShowedAccess: number;
  accessReturned: number;
  graph: { calls: number; throttled: number; serverErrors: number; refusals: Record<string, number> };
  jobFailures: Record<string, number>;
  targetMs: number;
  checks: Check[];
  notes: string[];
  errors: string[];
  /** Filled in by the launcher: the machine's CPU use over the scenario, all processes. */
  cpuBusyPercent?: number;
};

function timing(values: number[], never: number): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length + never;
  const at = (p: number) => {
    if (n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    return rank <= sorted.length ? sorted[rank - 1]! : null;
  };
  return { n, p50: at(50), p99: at(99), max: never || !sorted.length ? null : sorted[sorted.length - 1]!, never };
}

function tally(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

/** A reason without its ids and times (nor the cause pino repeats after it), so alike ones count together. */
const gist = (text: string) =>
  text
    .replace(/^(.+): \1$/s, "$1")
    .replace(/ - Timestamp: [\d-]+ [\d:]+Z/g, "")
    .replace(/\b[0-9a-f]{8}-[0-9a-f-]{27}\b/gi, "<id>")
    .replace(/\bgr_\w+/g, "<grant>")
    .replace(/\S+@\S+/g, "<upn>")
    .slice(0, 160);

const hasAccess = (u: UserSnapshot) => u.accountEnabled || u.roles.length > 0 || u.temporaryAccessPass?.isUsable === true;

export function judge(e: Evidence): ScenarioResult {
  const live = new Map<string, UserSnapshot>();
  const deleted = new Set<string>();
  const revokedAt = new Map<string, number[]>();
  for (const t of e.tenants) {
    for (const u of t.users) live.set(u.id, u);
    for (const u of t.deletedUsers) deleted.add(u.id);
    for (const r of t.revocations) revokedAt.set(r.userId, [...(revokedAt.get(r.userId) ?? []), Date.parse(r.at)]);
  }
  const accountsOf = new Map<string, AccountTrace[]>();
  for (const trace of e.traces) if (trace.grantId) accountsOf.set(trace.grantId, [...(accountsOf.get(trace.grantId) ?? []), trace]);

  const endRef = (g: PlannedGrant) => {
    const window = e.unreachable[g.tenantId];
    return window && g.endRef! >= window.from && g.endRef! < window.until ? window.until : g.endRef!;
  };

  const afterEnd = { enabled: 0, roles: 0, passes: 0, sessions: 0 };
  const verified: number[] = [];
  const started: number[] = [];
  const gone: number[] = [];
  let unverified = 0;
  let stillAccess = 0;
  let endedWhileGraphShowedAccess = 0;
  for (const g of e.grants) {
    if (g.endRef === null) continue;
    const row = e.rows.get(g.grantId);
    const accounts = (accountsOf.get(g.grantId) ?? []).map((t) => ({ trace: t, user: live.get(t.userId) }));
    const reachable = accounts.filter((a) => a.user);
    if (reachable.some((a) => a.user!.accountEnabled)) afterEnd.enabled += 1;
    if (reachable.some((a) => a.user!.roles.length > 0)) afterEnd.roles += 1;
    if (reachable.some((a) => a.user!.temporaryAccessPass?.isUsable)) afterEnd.passes += 1;
    if (reachable.some((a) => !(revokedAt.get(a.user!.id) ?? []).some((t) => t >= g.endRef! - 1000))) afterEnd.sessions += 1;
    const ref = endRef(g);
    if (row?.expiry_started_at) started.push(row.expiry_started_at.getTime() - ref);
    const ended = row && (row.state === "ended" || row.state === "revoked") && row.usable_to;
    if (ended) verified.push(row.usable_to!.getTime() - ref);
    else unverified += 1;
    const goneAts = accounts.map((a) => a.trace.accessGoneAt);
    if (accounts.length && goneAts.every((t) => t !== null)) gone.push(Math.max(...(goneAts as number[])) - ref);
    else stillAccess += 1;
    if (ended && goneAts.some((t) => t === null || t > row.usable_to!.getTime() + VERIFY_SLACK_MS)) endedWhileGraphShowedAccess += 1;
  }

  let orphans = 0;
  const failedLeftovers = { accounts: 0, enabled: 0, withRoles: 0, softDeleted: 0 };
  for (const trace of e.traces) {
    const row = trace.grantId ? e.rows.get(trace.grantId) : undefined;
    const user = live.get(trace.userId);
    const neverActive = !row || (finalStates.includes(row.state) && !row.usable_from);
    if (neverActive && user && hasAccess(user)) orphans += 1;
    if (row?.state === "failed" && (user || deleted.has(trace.userId))) {
      failedLeftovers.accounts += 1;
      if (user?.accountEnabled) failedLeftovers.enabled += 1;
      if (user && user.roles.length > 0) failedLeftovers.withRoles += 1;
      if (!user) failedLeftovers.softDeleted += 1;
    }
  }
  const duplicates = [...accountsOf.values()].filter((accounts) => new Set(accounts.map((a) => a.userId)).size > 1).length;

  const rowsOf = e.grants.map((g) => ({ g, row: e.rows.get(g.grantId) }));
  const failedRows = rowsOf.filter(({ row }) => row?.state === "failed");
  const notFinal = tally(rowsOf.filter(({ row }) => !row || !finalStates.includes(row.state)).map(({ row }) => row?.state ?? "missing"));
  const requestToActive = timing(
    rowsOf.filter(({ g, row }) => g.kind === "normal" && row?.usable_from).map(({ g, row }) => row!.usable_from!.getTime() - g.requestedAt),
    rowsOf.filter(({ g, row }) => g.kind === "normal" && !row?.usable_from && row?.state !== "failed").length,
  );
  const endToVerified = timing(verified, unverified);
  const afterEndTotal = afterEnd.enabled + afterEnd.roles + afterEnd.passes + afterEnd.sessions;
  const notFinalCount = Object.values(notFinal).reduce((a, b) => a + b, 0);
  const forced = e.grants.filter((g) => g.kind !== "normal").length;
  const msText = (v: number | null) => (v === null ? "never" : `${(v / 1000).toFixed(1)} s`);

  const checks: Check[] = [
    { label: "0 duplicates", met: duplicates === 0, detail: String(duplicates) },
    { label: "0 orphans", met: orphans === 0, detail: String(orphans) },
    { label: "0 access left after end", met: afterEndTotal === 0, detail: `${afterEnd.enabled} enabled, ${afterEnd.roles} with roles, ${afterEnd.passes} passes, ${afterEnd.sessions} sessions` },
    { label: "every grant final", met: notFinalCount === 0, detail: notFinalCount ? JSON.stringify(notFinal) : "all" },
    { label: "no grant ended while Graph showed access", met: endedWhileGraphShowedAccess === 0, detail: String(endedWhileGraphShowedAccess) },
    ...(failedRows.length || forced
      ? [{ label: "a failed provisioning leaves nothing", met: failedLeftovers.accounts === 0, detail: `${failedLeftovers.accounts} accounts left by ${failedRows.length} failed grants` }]
      : []),
    {
      label: `end → verified p99 ≤ ${e.scenario.endToVerifiedTargetMs / 1000} s`,
      met: endToVerified.n > 0 && endToVerified.p99 !== null && endToVerified.p99 <= e.scenario.endToVerifiedTargetMs,
      detail: msText(endToVerified.p99),
    },
    ...e.checks,
  ];

  return {
    name: e.scenario.name,
    title: e.scenario.title,
    startedAt: new Date(e.startedAt).toISOString(),
    seconds: Math.round((e.finishedAt - e.startedAt) / 1000),
    requested: e.grants.length,
    refused: tally(e.refusals.map((r) => gist(r.reason))),
    active: rowsOf.filter(({ row }) => row?.usable_from).length,
    failed: {
      forced: failedRows.filter(({ g }) => g.kind !== "normal").length,
      forcedRequested: forced,
      other: failedRows.filter(({ g }) => g.kind === "normal").length,
      reasons: tally(failedRows.map(({ g, row }) => `${g.kind === "normal" ? "" : `[${g.kind}] `}${gist(row!.failure_reason ?? "no reason")}`)),
    },
    duplicates,
    orphans,
    failedLeftovers,
    afterEnd,
    notFinal,
    requestToActive,
    endToVerified,
    endToExpiryStart: timing(started, e.grants.filter((g) => g.endRef !== null && !e.rows.get(g.grantId)?.expiry_started_at).length),
    endToGoneInGraph: timing(gone, stillAccess),
    endedWhileGraphShowedAccess,
    ...expiryBreakdown(e, endRef),
    accessReturned: e.traces.filter((t) => t.accessReturned).length,
    graph: {
      calls: e.graph.graph,
      throttled: e.graph.throttled,
      serverErrors: e.graph.serverErrors,
      refusals: Object.fromEntries(Object.entries(e.graph.byRoute).filter(([route]) => !/→ [23]\d\d$/.test(route)).sort((a, b) => b[1] - a[1])),
    },
    jobFailures: tally(e.jobFailures.map((f) => `${f.job}: ${gist(f.message)}`)),
    targetMs: e.scenario.endToVerifiedTargetMs,
    checks,
    notes: e.notes,
    errors: e.errors,
  };
}

const SLOWEST_SHOWN = 3;

/** Where an expiry's time goes: each action's end → proven, and the slowest ends step by step. */
function expiryBreakdown(e: Evidence, endRef: (g: PlannedGrant) => number): Pick<ScenarioResult, "expiryActions" | "slowestExpiries"> {
  const ended = e.grants.filter((g) => g.endRef !== null && e.rows.get(g.grantId)?.usable_to && g.kind === "normal");
  const runsOf = new Map<string, ExpiryStepRun[]>();
  for (const run of e.expirySteps) runsOf.set(run.grantId, [...(runsOf.get(run.grantId) ?? []), run]);
  const proven = new Map<string, number[]>();
  const failedRuns = new Map<string, number>();
  for (const g of ended) {
    for (const run of runsOf.get(g.grantId) ?? []) {
      const action = run.step.slice("expiry:".length);
      if (run.status === "failed") failedRuns.set(action, (failedRuns.get(action) ?? 0) + 1);
      if (run.status === "succeeded" && run.finishedAt) proven.set(action, [...(proven.get(action) ?? []), run.finishedAt.getTime() - endRef(g)]);
    }
  }
  const actions = [...new Set([...proven.keys(), ...failedRuns.keys()])];
  const expiryActions = Object.fromEntries(actions.map((a) => [a, { proven: timing(proven.get(a) ?? [], 0), failedRuns: failedRuns.get(a) ?? 0 }]));
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}`;
  const slowestExpiries = ended
    .map((g) => ({ g, took: e.rows.get(g.grantId)!.usable_to!.getTime() - endRef(g) }))
    .sort((a, b) => b.took - a.took)
    .slice(0, SLOWEST_SHOWN)
    .map(({ g, took }) => {
      const from = endRef(g);
      const steps = (runsOf.get(g.grantId) ?? []).map((r) => {
        const mark = r.status === "succeeded" ? "ok" : r.status;
        return `${r.step.slice("expiry:".length)} ${seconds(r.startedAt.getTime() - from)}→${r.finishedAt ? seconds(r.finishedAt.getTime() - from) : "…"} ${mark}`;
      });
      return `${seconds(took)} s (${g.tenantLabel}, ${g.endMode === "expires" ? "timer" : "ended early"}): ${steps.join(", ")}`;
    });
  return { expiryActions, slowestExpiries };
}
