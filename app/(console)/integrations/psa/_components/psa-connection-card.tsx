"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError, type OutputOf } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import type { PsaKind } from "@/lib/psa/types";
import { psaKindLabels } from "@/lib/vocabulary/psa-kinds";
import { psaSettingsFields } from "./psa-settings-fields";

type Connection = OutputOf<"listPsaConnections">["items"][number];

/** The fields of one PSA's settings; on a saved connection a secret left empty keeps the stored one. */
function ConnectionForm({ kind, connection, onDone }: { kind: PsaKind; connection: Connection | null; onDone: () => void }) {
  const fields = psaSettingsFields[kind];
  const [name, setName] = useState(connection?.name ?? psaKindLabels[kind]);
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...connection?.settings }));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const fieldError = (key: string) => (error?.field === key ? error.message.replace(/^[\w.]+: /, "") : undefined);
  return (
    <form
      className="grid gap-4"
      data-testid={`psa-form-${kind}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        const settings = Object.fromEntries([["kind", kind], ...fields.map((f) => [f.key, values[f.key]?.trim() ?? ""])]);
        setBusy(true);
        try {
          await withStepUp(() => api("savePsaConnection", { body: { name, settings } }));
          onDone();
          router.refresh();
        } catch (err) {
          setError({ message: err instanceof Error ? err.message : "Could not save the connection.", field: err instanceof ApiError ? err.field?.replace(/^settings\./, "") : undefined });
        } finally {
          setBusy(false);
        }
      }}
    >
      {connection ? <p className="text-sm text-muted-foreground">The stored secret is never shown: leave it empty to keep it.</p> : null}
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field id={`psa-${kind}-name`} label="Name" error={fieldError("name")} hint="How policies and the audit log name this PSA.">
          <Input id={`psa-${kind}-name`} value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
        </Field>
        {fields.map((f) => (
          <Field
            key={f.key}
            id={`psa-${kind}-${f.key}`}
            label={f.optional ? `${f.label} (optional)` : f.label}
            error={fieldError(f.key)}
            hint={f.secret && connection ? "Leave empty to keep the stored one." : f.hint}
          >
            <Input
              id={`psa-${kind}-${f.key}`}
              type={f.secret ? "password" : "text"}
              autoComplete={f.secret ? "new-password" : "off"}
              value={values[f.key] ?? ""}
              placeholder={f.placeholder}
              required={!f.optional && !(f.secret && connection)}
              onChange={(e) => setValues((old) => ({ ...old, [f.key]: e.target.value }))}
            />
          </Field>
        ))}
      </div>
      {error && !fieldError(error.field ?? "") ? <Alert variant="error">{error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? "Saving…" : connection ? "Save" : "Connect"}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function CheckResult({ connection }: { connection: Connection }) {
  if (!connection.checkedAt) return <p className="text-sm text-muted-foreground">Not checked since it was saved.</p>;
  const when = <Time at={connection.checkedAt} style="minute" />;
  return connection.checkError ? (
    <Alert variant="error" data-testid="psa-check-result">
      Check failed ({when}): {connection.checkError}
    </Alert>
  ) : (
    <Alert variant="success" data-testid="psa-check-result">
      Connected: Stint signed in and read the companies ({when}).
    </Alert>
  );
}

/** One PSA: connect it, or check, change and remove the connection. */
export function PsaConnectionCard({ kind, connection }: { kind: PsaKind; connection: Connection | null }) {
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const check = useConsoleAction("Could not check the connection.");
  const label = psaKindLabels[kind];
  return (
    <Card data-testid={`psa-${kind}`}>
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle>{label}</CardTitle>
          {connection ? <Badge variant={connection.checkError ? "destructive" : connection.checkedAt ? "success" : "muted"}>{connection.checkError ? "Failing" : connection.checkedAt ? "Connected" : "Not checked"}</Badge> : null}
        </div>
        <CardDescription>
          {connection ? (
            <span className="break-all">
              {connection.name} · {connection.baseUrl}
            </span>
          ) : (
            `Not connected. Stint reads tickets and companies, and writes internal notes and time entries, with the credentials you give here.`
          )}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {connection && !editing ? (
          <>
            <CheckResult connection={connection} />
            <div className="flex flex-wrap gap-2">
              <Button variant="outline" size="sm" disabled={check.busy} onClick={() => void check.run(() => api("checkPsaConnection", { params: { connectionId: connection.id } }))}>
                {check.busy ? "Checking…" : "Check connection"}
              </Button>
              <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
                Change settings
              </Button>
              <Button variant="ghost" size="sm" className="text-destructive" onClick={() => setRemoving(true)}>
                Remove
              </Button>
            </div>
            {check.error ? <Alert variant="error">{check.error}</Alert> : null}
            <ConfirmDialog
              open={removing}
              onClose={() => setRemoving(false)}
              title={`Remove the ${label} connection?`}
              description="Its customer-to-company mapping goes with it. A policy whose ticket check uses it must drop that check first. Removing asks for your passkey."
              confirmLabel="Remove"
              onConfirm={() => withStepUp(() => api("removePsaConnection", { params: { connectionId: connection.id } }))}
            />
          </>
        ) : connection || editing ? (
          <ConnectionForm kind={kind} connection={connection} onDone={() => setEditing(false)} />
        ) : (
          <div>
            <Button onClick={() => setEditing(true)}>Connect {label}</Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
