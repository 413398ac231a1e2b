"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, ApiError, type OutputOf } from "@/components/api/client";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";

type Settings = OutputOf<"getNotificationSettings">;

const orNull = (v: string) => (v.trim() === "" ? null : v.trim());

/** The MSP's SMTP server (the password is write-only) and the timing of reminders and repeated alerts. */
export function SettingsCard({ settings }: { settings: Settings }) {
  const router = useRouter();
  const [host, setHost] = useState(settings.smtpHost ?? "");
  const [port, setPort] = useState(settings.smtpPort ? String(settings.smtpPort) : "");
  const [secure, setSecure] = useState(settings.smtpSecure);
  const [user, setUser] = useState(settings.smtpUser ?? "");
  const [password, setPassword] = useState("");
  const [from, setFrom] = useState(settings.smtpFrom ?? "");
  const [reminder, setReminder] = useState(String(settings.reminderMinutes));
  const [repeat, setRepeat] = useState(String(settings.irrevocableRepeatMinutes));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  return (
    <Card>
      <CardHeader>
        <CardTitle>E-mail and timing</CardTitle>
        <CardDescription>
          {settings.serverSmtp
            ? "Leave the SMTP host empty to send through this server’s default SMTP settings."
            : "No default SMTP server is set on this server (SMTP_URL): set one here for e-mail to go out."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          data-testid="notification-settings-form"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            setSaved(false);
            try {
              const body = {
                smtpHost: orNull(host),
                smtpPort: port.trim() ? Number(port) : null,
                smtpSecure: secure,
                smtpUser: orNull(user),
                smtpFrom: orNull(from),
                reminderMinutes: Number(reminder),
                irrevocableRepeatMinutes: Number(repeat),
                ...(password ? { smtpPassword: password } : {}),
              };
              await withStepUp(() => api("updateNotificationSettings", { body }));
              setPassword("");
              setSaved(true);
              router.refresh();
            } catch (err) {
              setError({ message: err instanceof Error ? err.message : "Could not save.", field: err instanceof ApiError ? err.field : undefined });
            } finally {
              setBusy(false);
            }
          }}
        >
          <div className="grid items-start gap-4 sm:grid-cols-2">
            <Field id="smtp-host" label="SMTP host" error={fieldError("smtpHost")}>
              <Input id="smtp-host" value={host} placeholder="smtp.example.com" onChange={(e) => setHost(e.target.value)} />
            </Field>
            <Field id="smtp-port" label="Port" error={fieldError("smtpPort")} hint="587 (STARTTLS) or 465 (TLS).">
              <Input id="smtp-port" type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
            </Field>
            <Field id="smtp-user" label="User name" error={fieldError("smtpUser")}>
              <Input id="smtp-user" value={user} autoComplete="off" onChange={(e) => setUser(e.target.value)} />
            </Field>
            <Field id="smtp-password" label="Password" hint={settings.smtpPasswordSet ? "Set. Leave empty to keep it." : "Stored encrypted; never shown again."}>
              <Input id="smtp-password" type="password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <Field id="smtp-from" label="From" error={fieldError("smtpFrom")} hint="E.g. Stint <stint@msp.example>.">
              <Input id="smtp-from" value={from} onChange={(e) => setFrom(e.target.value)} />
            </Field>
            <div className="flex items-center gap-2 self-end pb-2 text-sm">
              <input id="smtp-secure" type="checkbox" className="h-4 w-4 accent-primary" checked={secure} onChange={(e) => setSecure(e.target.checked)} />
              <label htmlFor="smtp-secure">TLS from the start (port 465)</label>
            </div>
            <Field id="reminder-minutes" label="“Ending soon” reminder (minutes before the end)" error={fieldError("reminderMinutes")}>
              <Input id="reminder-minutes" type="number" min={1} max={1440} required value={reminder} onChange={(e) => setReminder(e.target.value)} />
            </Field>
            <Field id="repeat-minutes" label="Repeat irrevocable alerts every (minutes)" error={fieldError("irrevocableRepeatMinutes")}>
              <Input id="repeat-minutes" type="number" min={5} max={1440} required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
            </Field>
          </div>
          {error && !error.field ? <Alert variant="error">{error.message}</Alert> : null}
          {saved ? <Alert variant="success">Saved.</Alert> : null}
          <div>
            <Button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
