"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { api, ApiError, type OutputOf } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { SigningSecretNotice } from "@/components/console/signing-secret-notice";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";
import { ScrollX } from "@/components/ui/scroll-x";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { endpointKindLabels, endpointKinds, notificationEventLabels, type EndpointKind, type NotificationEvent } from "@/lib/vocabulary/notification-events";
import { EventCheckboxes } from "@/components/console/notification-event-checkboxes";
import { Time } from "@/components/time/time";
import { useFormatMoment } from "@/components/time/viewer-time-zone";

type Endpoint = OutputOf<"listNotificationEndpoints">["items"][number];
type Delivery = OutputOf<"listNotificationDeliveries">["items"][number];
type Customer = { id: string; name: string };

const eventLabel = (e: string) => notificationEventLabels[e as NotificationEvent] ?? (e === "notification.test" ? "Test message" : e);

const defaultEvents: NotificationEvent[] = ["grant.approval_requested", "grant.emergency_requested", "grant.irrevocable", "grant.kill_switch", "connection.unhealthy"];

function AddEndpointForm({ customers, onCreated, onCancel }: { customers: Customer[]; onCreated: (secret: string | null) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<EndpointKind>("email");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [events, setEvents] = useState<NotificationEvent[]>(defaultEvents);
  const [customerIds, setCustomerIds] = useState<string[]>([]);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (f: string) => (error?.field?.split(".")[0] === f ? error.message : undefined);
  const isEmail = kind === "email";
  return (
    <form
      className="grid gap-4"
      data-testid="add-endpoint-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const common = { name, events, customerIds: customerIds.length ? customerIds : null };
          const body = isEmail
            ? { kind: "email" as const, ...common, emailTo: target.split(/[\s,;]+/).filter(Boolean) }
            : { kind: kind as "teams" | "slack" | "webhook", ...common, url: target.trim() };
          const created = await withStepUp(() => api("createNotificationEndpoint", { body }));
          onCreated(created.secret);
        } catch (err) {
          setError({ message: err instanceof Error ? err.message : "Could not add the endpoint.", field: err instanceof ApiError ? err.field : undefined });
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <Field id="endpoint-kind" label="Channel">
          <select
            id="endpoint-kind"
            className="h-9 rounded-md border border-border bg-background px-3 text-sm max-md:h-11 max-md:text-base"
            value={kind}
            onChange={(e) => setKind(e.target.value as EndpointKind)}
          >
            {endpointKinds.map((k) => (
              <option key={k} value={k}>
                {endpointKindLabels[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field id="endpoint-name" label="Name" error={fieldError("name")} hint="E.g. “Service desk” or “#alerts in Teams”.">
          <Input id="endpoint-name" value={name} maxLength={80} required onChange={(e) => setName(e.target.value)} />
        </Field>
      </div>
      <Field
        id="endpoint-target"
        label={isEmail ? "Addresses" : kind === "webhook" ? "Webhook URL" : `${endpointKindLabels[kind]} incoming webhook URL`}
        error={fieldError(isEmail ? "emailTo" : "url")}
        hint={
          isEmail
            ? "One or more, separated by commas."
            : kind === "webhook"
              ? "Messages are signed (Standard Webhooks); you get the secret after adding it."
              : "The URL is a credential: Stint stores it encrypted and shows only its host."
        }
      >
        <Input id="endpoint-target" value={target} required onChange={(e) => setTarget(e.target.value)} placeholder={isEmail ? "desk@msp.example" : "https://…"} />
      </Field>
      <EventCheckboxes idPrefix="endpoint-event" legend="Events" checked={events} onChange={setEvents} />
      {customers.length > 0 ? (
        <fieldset className="grid gap-1.5">
          <legend className="mb-1 text-sm font-medium">Customers</legend>
          <p className="text-xs text-muted-foreground">None chosen: every customer. Events about no customer (e.g. a disabled endpoint) always pass.</p>
          <ul className="grid gap-1 sm:grid-cols-2">
            {customers.map((c) => (
              <li key={c.id} className="flex items-center gap-2 text-sm">
                <input
                  id={`endpoint-customer-${c.id}`}
                  type="checkbox"
                  className="h-4 w-4 accent-primary"
                  checked={customerIds.includes(c.id)}
                  onChange={(e) => setCustomerIds(e.target.checked ? [...customerIds, c.id] : customerIds.filter((x) => x !== c.id))}
                />
                <label htmlFor={`endpoint-customer-${c.id}`}>{c.name}</label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      {error && !error.field ? <Alert variant="error">{error.message}</Alert> : null}
      {error?.field && !["name", "emailTo", "url"].includes(error.field.split(".")[0]!) ? <Alert variant="error">{error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? "Adding…" : "Add endpoint"}
        </Button>
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const format = useFormatMoment();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const { items: loaded } = await api("listNotificationDeliveries", { params: { endpointId } });
      setItems(loaded);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not load the log.");
    }
  }, [endpointId]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="grid gap-2" data-testid={`delivery-log-${endpointId}`}>
      <div className="flex items-center justify-between gap-2">
        <h4 className="text-sm font-medium">Delivery log</h4>
        <Button variant="ghost" size="sm" onClick={() => void load()}>
          Refresh
        </Button>
      </div>
      {error ? <Alert variant="error">{error}</Alert> : null}
      <ScrollX>
        <Table>
          <THead>
            <TR>
              <TH>Created</TH>
              <TH>Event</TH>
              <TH>State</TH>
              <TH>Attempts</TH>
              <TH>Last answer</TH>
            </TR>
          </THead>
          <TBody>
            {items?.length === 0 ? (
              <TR>
                <TD colSpan={5} className="text-center text-muted-foreground">
                  Nothing sent yet.
                </TD>
              </TR>
            ) : null}
            {items?.map((d) => (
              <TR key={d.id} data-testid={`delivery-${d.id}`}>
                <TD className="whitespace-nowrap text-xs text-muted-foreground" title={`Message id ${d.messageId}`}>
                  <Time at={d.createdAt} />
                </TD>
                <TD className="text-sm">{eventLabel(d.event)}</TD>
                <TD>
                  {d.state === "delivered" ? (
                    <Badge variant="success">Delivered</Badge>
                  ) : d.state === "failed" ? (
                    <Badge variant="destructive">Failed</Badge>
                  ) : (
                    <Badge variant="muted" title={d.nextAttemptAt ? `Next attempt ${format(d.nextAttemptAt)}` : undefined}>
                      Pending
                    </Badge>
                  )}
                </TD>
                <TD className="text-sm">{d.attempts}</TD>
                <TD className="max-w-72 break-words text-xs text-muted-foreground">{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : d.deliveredAt ? "Accepted" : "—")}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </ScrollX>
    </div>
  );
}

function EndpointItem({ endpoint, customers, onSecret }: { endpoint: Endpoint; customers: Customer[]; onSecret: (secret: string) => void }) {
  const [showLog, setShowLog] = useState(false);
  const [logKey, setLogKey] = useState(0);
  const { busy, error, run } = useConsoleAction();
  // Which action runs, for its button's own "in progress" label.
  const [doing, setDoing] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const act = (what: string, fn: () => Promise<unknown>) => {
    setDoing(what);
    return run(fn);
  };
  const params = { endpointId: endpoint.id };
  const customerNames = endpoint.customerIds?.map((id) => customers.find((c) => c.id === id)?.name ?? id);
  return (
    <li className="grid gap-3 rounded-md border border-border p-4" data-testid={`endpoint-${endpoint.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{endpoint.name}</span>
            <Badge variant="muted">{endpointKindLabels[endpoint.kind]}</Badge>
            {endpoint.enabled ? <Badge variant="success">On</Badge> : <Badge variant="destructive">Turned off</Badge>}
          </div>
          <div className="break-all text-xs text-muted-foreground">{endpoint.emailTo ? endpoint.emailTo.join(", ") : endpoint.urlHost}</div>
        </div>
      </div>
      {!endpoint.enabled && endpoint.disabledReason ? <Alert variant="warning">Turned off automatically: {endpoint.disabledReason}</Alert> : null}
      {endpoint.enabled && endpoint.consecutiveFailures > 0 ? (
        <Alert variant="warning">
          The last {endpoint.consecutiveFailures} deliveries failed (since <Time at={endpoint.failingSince} />). It is turned off after a day of failures.
        </Alert>
      ) : null}
      <div className="flex flex-wrap gap-1">
        {endpoint.events.map((e) => (
          <Badge key={e} variant="muted">
            {eventLabel(e)}
          </Badge>
        ))}
      </div>
      <p className="text-xs text-muted-foreground">
        {customerNames ? `Only for ${customerNames.join(", ")}` : "For every customer"}
        {endpoint.previousSecretUntil ? <> · previous secret also signs until <Time at={endpoint.previousSecretUntil} /></> : null}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="outline"
          size="sm"
          disabled={busy}
          onClick={() =>
            act("test", async () => {
              await api("sendTestNotification", { params });
              setShowLog(true);
              // The worker sends it within moments: look again shortly.
              setTimeout(() => setLogKey((k) => k + 1), 2_000);
            })
          }
        >
          {busy && doing === "test" ? "Sending…" : "Send test"}
        </Button>
        <Button variant="outline" size="sm" onClick={() => setShowLog(!showLog)} aria-expanded={showLog}>
          {showLog ? "Hide delivery log" : "Delivery log"}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          disabled={busy}
          onClick={() => act("toggle", () => withStepUp(() => api("updateNotificationEndpoint", { params, body: { enabled: !endpoint.enabled } })))}
        >
          {endpoint.enabled ? "Turn off" : "Turn on"}
        </Button>
        {endpoint.kind === "webhook" ? (
          <Button
            variant="ghost"
            size="sm"
            disabled={busy}
            onClick={() =>
              act("rotate", async () => {
                const rotated = await withStepUp(() => api("rotateNotificationSecret", { params, body: { graceHours: 24 } }));
                onSecret(rotated.secret);
              })
            }
          >
            Rotate secret
          </Button>
        ) : null}
        <Button
          variant="ghost"
          size="sm"
          className="text-destructive"
          disabled={busy}
          onClick={() => setRemoving(true)}
        >
          Remove
        </Button>
      </div>
      <ConfirmDialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Remove “${endpoint.name}” and its delivery log?`}
        description="Events stop going there at once. Removing asks for your passkey."
        confirmLabel="Remove"
        onConfirm={() => withStepUp(() => api("removeNotificationEndpoint", { params }))}
      />
      {error ? <Alert variant="error">{error}</Alert> : null}
      {showLog ? <DeliveryLog key={logKey} endpointId={endpoint.id} /> : null}
    </li>
  );
}

/** The MSP's endpoints: where each event goes, for which customers; add, test, inspect, turn off, rotate. */
export function EndpointsCard({ endpoints, customers }: { endpoints: Endpoint[]; customers: Customer[] }) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Endpoints</CardTitle>
        <CardDescription>
          Each event goes to every endpoint subscribed to it (and to its customer, when you choose some), besides the members it concerns. Failed
          deliveries are retried with backoff for about a day; an endpoint that keeps failing is turned off and the admins are told.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {secret ? (
          <SigningSecretNotice secret={secret} onDone={() => setSecret(null)}>
            Give it to the receiver now: it is shown only this once. Receivers verify each message with it (docs/notifications.md).
          </SigningSecretNotice>
        ) : null}
        {endpoints.length === 0 && !adding ? <p className="text-sm text-muted-foreground">No endpoints yet: only members’ own e-mail is sent.</p> : null}
        <ul className="grid gap-3" data-testid="endpoints-list">
          {endpoints.map((e) => (
            <EndpointItem key={e.id} endpoint={e} customers={customers} onSecret={setSecret} />
          ))}
        </ul>
        {adding ? (
          <AddEndpointForm
            customers={customers}
            onCancel={() => setAdding(false)}
            onCreated={(s) => {
              setAdding(false);
              setSecret(s);
              router.refresh();
            }}
          />
        ) : (
          <div>
            <Button onClick={() => setAdding(true)}>Add endpoint</Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
