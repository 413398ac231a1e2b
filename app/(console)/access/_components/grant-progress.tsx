"use client";

import { ChevronRight, Circle, CircleCheck, CircleX, LoaderCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { api, type OutputOf } from "@/components/api/client";
import type { SignInMethod } from "@/lib/vocabulary/sign-in-methods";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { provisioningSteps, stepLabel } from "../../grants/_components/grant-labels";

type GrantDetail = OutputOf<"getGrant">;
type Step = GrantDetail["steps"][number];
type Phase = "pending" | "running" | "done" | "failed";

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10_000;
/** A scheduled grant is not polled before its start; the wait is re-checked at least this often. */
const SCHEDULED_WAIT_MS = 10 * 60_000;

/**
 * Polls the grant while the worker moves it along: every second at first, doubling to 10 s while
 * nothing changes, back to 1 s when something does. A new state reloads the page's data.
 */
function usePolledGrant(grantId: string, state: GrantState, startAt: string): GrantDetail | null {
  const router = useRouter();
  const [detail, setDetail] = useState<GrantDetail | null>(null);
  useEffect(() => {
    let delay = FIRST_DELAY_MS;
    let seen = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const untilStart = () => (state === "approved" ? new Date(startAt).getTime() - Date.now() : 0);
    async function poll() {
      try {
        const next = await api("getGrant", { params: { grantId } });
        if (stopped) return;
        const signature = `${next.state}|${next.steps.map((s) => `${s.id}:${s.status}`).join(",")}`;
        if (signature === seen) delay = Math.min(delay * 2, MAX_DELAY_MS);
        else {
          seen = signature;
          delay = FIRST_DELAY_MS;
          setDetail(next);
          if (next.state !== state) router.refresh();
        }
      } catch {
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
      if (!stopped) timer = setTimeout(poll, Math.max(delay, Math.min(untilStart(), SCHEDULED_WAIT_MS)));
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [grantId, state, startAt, router]);
  return detail;
}

function phaseOf(steps: Step[], name: string): { phase: Phase; detail: string | null } {
  const last = steps.findLast((s) => s.step === name);
  if (!last) return { phase: "pending", detail: null };
  return { phase: last.status === "succeeded" ? "done" : last.status === "failed" ? "failed" : "running", detail: last.detail };
}

function PhaseIcon({ phase }: { phase: Phase }) {
  if (phase === "done") return <CircleCheck className="h-4 w-4 text-green-600 dark:text-green-400" aria-label="done" />;
  if (phase === "failed") return <CircleX className="h-4 w-4 text-destructive" aria-label="failed" />;
  if (phase === "running") return <LoaderCircle className="h-4 w-4 animate-spin text-primary" aria-label="in progress" />;
  return <Circle className="h-4 w-4 text-muted-foreground/50" aria-label="waiting" />;
}

type PhaseRow = { key: string; label: string; phase: Phase; detail: string | null };

function PhaseList({ title, rows }: { title: string; rows: PhaseRow[] }) {
  const failures = rows.filter((r) => r.phase === "failed" && r.detail);
  return (
    <div className="grid gap-2 rounded-md border border-border bg-muted/40 px-3 py-2.5" data-testid="grant-progress">
      <div className="text-xs font-medium uppercase tracking-wide text-muted-foreground">{title}</div>
      <ol className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-sm">
        {rows.map((r, i) => (
          <li key={r.key} className="flex items-center gap-1.5" data-phase={r.phase}>
            {i > 0 ? <ChevronRight className="h-3.5 w-3.5 text-muted-foreground/60" aria-hidden /> : null}
            <PhaseIcon phase={r.phase} />
            <span className={r.phase === "pending" ? "text-muted-foreground" : undefined}>{r.label}</span>
          </li>
        ))}
      </ol>
      {failures.map((r) => (
        <p key={r.key} className="text-xs text-destructive" role="alert">
          {r.label}: {r.detail}
        </p>
      ))}
    </div>
  );
}

function provisioningRows(detail: GrantDetail | null, state: GrantState, signInMethod: SignInMethod): PhaseRow[] {
  const steps = detail?.steps ?? [];
  const rows: PhaseRow[] = provisioningSteps
    .filter(({ step }) => step !== "issue_tap" || signInMethod === "tap")
    .map(({ step, label }) => ({ key: step, label, ...phaseOf(steps, step) }));
  const verified = rows.at(-1)?.phase === "done";
  const readyPhase: Phase = state === "active" ? "done" : verified ? "running" : "pending";
  return [...rows, { key: "ready", label: "Ready", phase: readyPhase, detail: null }];
}

function expiryRows(detail: GrantDetail | null): PhaseRow[] {
  const steps = detail?.steps ?? [];
  return (detail?.expiryActions ?? []).map((action) => {
    const step = `expiry:${action}`;
    return { key: step, label: stepLabel(step), ...phaseOf(steps, step) };
  });
}

/** Live progress of a grant on its way in (account being made) or out (access being taken away). */
export function GrantProgress({ grantId, state, startAt, signInMethod }: { grantId: string; state: GrantState; startAt: string; signInMethod: SignInMethod }) {
  const detail = usePolledGrant(grantId, state, startAt);
  const current = detail?.state ?? state;
  if (current === "expiring") return <PhaseList title="Taking access away" rows={expiryRows(detail)} />;
  return <PhaseList title="Getting your account ready" rows={provisioningRows(detail, current, signInMethod)} />;
}
