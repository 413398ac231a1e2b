"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { SigningSecretNotice } from "@/components/console/signing-secret-notice";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { hookEventLabels, hookKindLabels } from "@/lib/vocabulary/hooks";
import { failureLabels, HookForm, type Hook, type PsaChoice } from "./hook-forms";

const seconds = (ms: number) => `${ms / 1000} s`;

/** One hook: what it is and when it runs; move it, turn it off or on, remove it (each with a fresh passkey). */
function HookItem({ hook, count, psaConnections }: { hook: Hook; count: number; psaConnections: PsaChoice[] }) {
  const router = useRouter();
  const { busy, error, run } = useConsoleAction();
  const [removing, setRemoving] = useState(false);
  const [editing, setEditing] = useState(false);
  const psaName = psaConnections.find((c) => c.id === hook.psaConnectionId)?.name ?? null;
  const change = (body: { position?: number; enabled?: boolean }) => run(() => withStepUp(() => api("updateAccessHook", { params: { hookId: hook.id }, body })));
  return (
    <li className="grid gap-2 rounded-md border border-border p-3" data-testid={`hook-${hook.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-xs text-muted-foreground" data-testid="hook-position">{hook.position}.</span>
            <span className="font-medium">{hook.name}</span>
            <Badge variant="muted">{hookKindLabels[hook.kind]}</Badge>
            {hook.enabled ? <Badge variant="success">On</Badge> : <Badge variant="destructive">Turned off</Badge>}
          </div>
          <div className="break-all text-xs text-muted-foreground">
            {hook.kind === "webhook" ? hook.url : psaName}
            {hook.psaOptions?.requireAssignee ? " · assigned to the technician" : ""}
            {hook.psaOptions?.notes ? " · notes" : ""}
            {hook.psaOptions?.timeEntry ? " · time entry" : ""}
            {hook.psaOptions?.endOnTicketClose ? " · ends with the ticket" : ""}
          </div>
          <div className="flex flex-wrap gap-1">
            {hook.events.map((e) => (
              <Badge key={e} variant="muted">
                {hookEventLabels[e]}
              </Badge>
            ))}
          </div>
          <div className="text-xs text-muted-foreground">
            Timeout {seconds(hook.timeoutMs)} · without an answer: {failureLabels[hook.onFailure].toLowerCase()}
          </div>
        </div>
        <div className="flex flex-wrap gap-1">
          <Button variant="ghost" size="sm" disabled={busy || hook.position === 1} aria-label={`Move ${hook.name} up`} onClick={() => void change({ position: hook.position - 1 })}>
            Up
          </Button>
          <Button variant="ghost" size="sm" disabled={busy || hook.position === count} aria-label={`Move ${hook.name} down`} onClick={() => void change({ position: hook.position + 1 })}>
            Down
          </Button>
          <Button variant="ghost" size="sm" disabled={busy} onClick={() => setEditing(!editing)} aria-expanded={editing}>
            {editing ? "Close" : "Change"}
          </Button>
          <Button variant="ghost" size="sm" disabled={busy} onClick={() => void change({ enabled: !hook.enabled })}>
            {hook.enabled ? "Turn off" : "Turn on"}
          </Button>
          <Button variant="ghost" size="sm" className="text-destructive" disabled={busy} onClick={() => setRemoving(true)}>
            Remove
          </Button>
        </div>
      </div>
      {error ? <Alert variant="error">{error}</Alert> : null}
      {editing ? (
        <HookForm
          policyId={hook.policyId}
          kind={hook.kind}
          hook={hook}
          psaConnections={psaConnections}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            router.refresh();
          }}
        />
      ) : null}
      <ConfirmDialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Remove the hook “${hook.name}”?`}
        description="Requests under this policy are no longer checked by it. Removing asks for your passkey."
        confirmLabel="Remove"
        onConfirm={() => withStepUp(() => api("removeAccessHook", { params: { hookId: hook.id } }))}
      />
    </li>
  );
}

/** A policy's hooks, in the order they run; add a signed webhook or a PSA ticket check. */
export function PolicyHooks({ policyId, hooks, psaConnections }: { policyId: string; hooks: Hook[]; psaConnections: PsaChoice[] }) {
  const router = useRouter();
  const [adding, setAdding] = useState<"webhook" | "psa_ticket" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section className="grid gap-3" aria-labelledby={`hooks-${policyId}`} data-testid="policy-hooks">
      <div className="grid gap-1">
        <h3 id={`hooks-${policyId}`} className="text-sm font-semibold">
          Hooks
        </h3>
        <p className="text-xs text-muted-foreground">Asked in this order about each request under the policy, at the moments each is set for.</p>
      </div>
      {hooks.length > 0 ? (
        <ol className="grid gap-2">
          {hooks.map((h) => (
            <HookItem key={h.id} hook={h} count={hooks.length} psaConnections={psaConnections} />
          ))}
        </ol>
      ) : (
        <p className="text-sm text-muted-foreground">No hooks: the policy alone decides.</p>
      )}
      {secret ? (
        <SigningSecretNotice secret={secret} onDone={() => setSecret(null)}>
          Give it to the webhook&apos;s receiver now: it is shown only this once. The receiver verifies each call&apos;s Standard Webhooks signature
          (webhook-id, webhook-timestamp, webhook-signature) with it and answers with its verdict (docs/hooks.md).
        </SigningSecretNotice>
      ) : null}
      {adding ? (
        <HookForm
          policyId={policyId}
          kind={adding}
          psaConnections={psaConnections}
          onCancel={() => setAdding(null)}
          onSaved={(created) => {
            setAdding(null);
            setSecret(created);
            router.refresh();
          }}
        />
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" onClick={() => setAdding("webhook")}>
            Add webhook
          </Button>
          {psaConnections.length > 0 ? (
            <Button variant="outline" size="sm" onClick={() => setAdding("psa_ticket")}>
              Add PSA ticket check
            </Button>
          ) : (
            <span className="text-xs text-muted-foreground">
              For a PSA ticket check, <Link href="/integrations/psa" className="underline underline-offset-2">connect a PSA</Link> first.
            </span>
          )}
        </div>
      )}
    </section>
  );
}
