"use client";

import { useState, type ReactNode } from "react";
import { api, ApiError, type InputOf, type OutputOf } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { hookEventLabels, hookEvents, hookFailurePolicies, type HookEvent, type HookFailurePolicy } from "@/lib/vocabulary/hooks";

type Body = InputOf<"createAccessHook">["body"];
export type PsaChoice = { id: string; name: string };

export const failureLabels: Record<HookFailurePolicy, string> = { deny: "Deny the request", allow: "Go on without it" };

/** What a hook may do at each moment, said beside its checkbox. */
const hookEventMeanings: Record<HookEvent, string> = {
  authenticate: "while the technician waits, a hook may accept, deny, or ask a question (a ticket number) the request form shows.",
  authorize: "once, just before Stint makes the admin account; a hook may still deny, and a ticket check writes its note.",
  session_ended: "once the access is gone, a hook is told what happened (real exposure, proof of removal); it cannot deny any more.",
};

const psaOptionLabels = {
  requireAssignee: "The ticket must be assigned to the technician",
  notes: "Write the access on the ticket (internal notes when it starts and ends)",
  timeEntry: "Add a time entry for the time the access was usable",
  endOnTicketClose: "End the access when the ticket is closed",
} as const;
type PsaOptions = Record<keyof typeof psaOptionLabels, boolean>;

function Checkbox({ id, checked, onChange, children }: { id: string; checked: boolean; onChange: (on: boolean) => void; children: ReactNode }) {
  return (
    <li className="flex items-start gap-2 text-sm max-md:min-h-11">
      <input id={id} type="checkbox" className="mt-0.5 h-4 w-4 shrink-0 accent-primary" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{children}</label>
    </li>
  );
}

/** The fields every hook has: name, moments, timeout and what a hook that does not answer counts as. */
function CommonFields({ idp, name, setName, events, setEvents, seconds, setSeconds, onFailure, setOnFailure, fieldError }: {
  idp: string;
  name: string;
  setName: (v: string) => void;
  events: HookEvent[];
  setEvents: (v: HookEvent[]) => void;
  seconds: string;
  setSeconds: (v: string) => void;
  onFailure: HookFailurePolicy;
  setOnFailure: (v: HookFailurePolicy) => void;
  fieldError: (f: string) => string | undefined;
}) {
  return (
    <>
      <Field id={`${idp}-name`} label="Name" error={fieldError("name")}>
        <Input id={`${idp}-name`} value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
      </Field>
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Moments</legend>
        <ul className="grid gap-1">
          {hookEvents.map((e) => (
            <Checkbox key={e} id={`${idp}-event-${e}`} checked={events.includes(e)} onChange={(on) => setEvents(on ? hookEvents.filter((x) => x === e || events.includes(x)) : events.filter((x) => x !== e))}>
              {hookEventLabels[e]} <span className="text-muted-foreground">— {hookEventMeanings[e]}</span>
            </Checkbox>
          ))}
        </ul>
        {fieldError("events") ? (
          <p role="alert" className="text-xs text-destructive">
            {fieldError("events")}
          </p>
        ) : null}
      </fieldset>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field id={`${idp}-timeout`} label="Timeout (seconds)" error={fieldError("timeoutMs")} hint="0.5 to 15: a technician may be waiting.">
          <Input id={`${idp}-timeout`} type="number" inputMode="decimal" min={0.5} max={15} step={0.5} value={seconds} required onChange={(e) => setSeconds(e.target.value)} />
        </Field>
        <Field id={`${idp}-failure`} label="If it does not answer" error={fieldError("onFailure")} hint="A timeout, an error or an unreadable answer.">
          <Select id={`${idp}-failure`} value={onFailure} onChange={(e) => setOnFailure(e.target.value as HookFailurePolicy)}>
            {hookFailurePolicies.map((f) => (
              <option key={f} value={f}>
                {failureLabels[f]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </>
  );
}

/** A hook as the list shows it, to change. */
export type Hook = OutputOf<"listAccessHooks">["items"][number];

/**
 * One form for both kinds, to add a hook or change one: the kind decides its defaults and its own fields. A PSA
 * check keeps its connection (remove it and add another to change that).
 */
export function HookForm({ policyId, kind, hook, psaConnections, onSaved, onCancel }: {
  policyId: string;
  kind: "webhook" | "psa_ticket";
  hook?: Hook;
  psaConnections: PsaChoice[];
  /** Called with a new webhook's signing secret, shown once. */
  onSaved: (secret: string | null) => void;
  onCancel: () => void;
}) {
  const idp = hook ? `hook-${hook.id}` : `hook-${policyId}-${kind}`;
  const isWebhook = kind === "webhook";
  const [name, setName] = useState(hook?.name ?? (isWebhook ? "" : "PSA ticket check"));
  const [events, setEvents] = useState<HookEvent[]>(hook?.events ?? (isWebhook ? ["authenticate"] : [...hookEvents]));
  const [seconds, setSeconds] = useState(String((hook?.timeoutMs ?? (isWebhook ? 5000 : 10_000)) / 1000));
  const [onFailure, setOnFailure] = useState<HookFailurePolicy>(hook?.onFailure ?? "deny");
  const [url, setUrl] = useState(hook?.url ?? "");
  const [psaConnectionId, setPsaConnectionId] = useState(hook?.psaConnectionId ?? psaConnections[0]?.id ?? "");
  const [psaOptions, setPsaOptions] = useState<PsaOptions>(hook?.psaOptions ?? { requireAssignee: false, notes: true, timeEntry: false, endOnTicketClose: false });
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (f: string) => (error?.field?.split(".")[0] === f ? error.message.replace(/^[\w.]+: /, "") : undefined);
  const shownAtField = ["name", "events", "timeoutMs", "onFailure", "url"];

  async function save() {
    const common = { name, events, timeoutMs: Math.round(Number(seconds) * 1000), onFailure };
    if (hook) {
      await withStepUp(() => api("updateAccessHook", { params: { hookId: hook.id }, body: isWebhook ? { ...common, url: url.trim() } : { ...common, psaOptions } }));
      return null;
    }
    const body: Body = isWebhook ? { kind, ...common, url: url.trim() } : { kind, ...common, psaConnectionId, psaOptions };
    return (await withStepUp(() => api("createAccessHook", { params: { policyId }, body }))).secret ?? null;
  }

  return (
    <form
      className="grid gap-4 rounded-md border border-border p-4"
      data-testid={hook ? `edit-hook-${hook.id}` : `add-hook-${kind}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onSaved(await save());
        } catch (err) {
          setError({ message: err instanceof Error ? err.message : "Could not add the hook.", field: err instanceof ApiError ? err.field : undefined });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h4 className="text-sm font-semibold">{hook ? `Change “${hook.name}”` : isWebhook ? "Add a signed webhook" : "Add a PSA ticket check"}</h4>
      {isWebhook ? (
        <Field id={`${idp}-url`} label="URL" error={fieldError("url")} hint="HTTPS. Each call is signed (Standard Webhooks); you get the secret after adding it.">
          <Input id={`${idp}-url`} value={url} required placeholder="https://…" onChange={(e) => setUrl(e.target.value)} />
        </Field>
      ) : (
        <>
          <Field id={`${idp}-psa`} label="PSA">
            <Select id={`${idp}-psa`} value={psaConnectionId} disabled={!!hook} onChange={(e) => setPsaConnectionId(e.target.value)}>
              {psaConnections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
          <fieldset className="grid gap-1.5">
            <legend className="mb-1 text-sm font-medium">The ticket</legend>
            <p className="text-xs text-muted-foreground">Always: it exists, is open and belongs to the customer&apos;s PSA company. A request without one is asked for its number.</p>
            <ul className="grid gap-1">
              {(Object.keys(psaOptionLabels) as (keyof PsaOptions)[]).map((o) => (
                <Checkbox key={o} id={`${idp}-${o}`} checked={psaOptions[o]} onChange={(on) => setPsaOptions({ ...psaOptions, [o]: on })}>
                  {psaOptionLabels[o]}
                </Checkbox>
              ))}
            </ul>
          </fieldset>
        </>
      )}
      <CommonFields {...{ idp, name, setName, events, setEvents, seconds, setSeconds, onFailure, setOnFailure, fieldError }} />
      {error && !shownAtField.includes(error.field?.split(".")[0] ?? "") ? <Alert variant="error">{error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? "Saving…" : hook ? "Save" : isWebhook ? "Add webhook" : "Add ticket check"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
