import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Time } from "@/components/time/time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePageContext } from "@/lib/http/page-context";
import { describeUserAgent } from "@/lib/http/user-agent";
import { browserTimeZone } from "@/lib/http/viewer-time-zone";
import { listCustomers } from "@/lib/services/customers/list";
import { getMyNotificationPreferences } from "@/lib/services/notifications/get-preferences";
import { listOwnPasskeys } from "@/lib/services/passkeys/list";
import { listRecentPasskeyAdditions, PASSKEY_NOTICE_DAYS } from "@/lib/services/passkeys/recent-additions";
import { listOwnSessions } from "@/lib/services/sessions/list";
import { listOwnTokens } from "@/lib/services/tokens/list";
import { timeZoneChoices } from "@/lib/time-zones";
import { AddPasskeyForm } from "./_components/add-passkey-form";
import { NotificationPreferencesCard } from "./_components/notification-preferences-card";
import { ApiActionButton } from "@/components/console/api-action-button";
import { PasskeyActions } from "./_components/passkey-actions";
import { TimeZoneCard } from "./_components/time-zone-card";
import { TokensCard } from "./_components/tokens-card";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const { ctx, session } = await requirePageContext();
  const [passkeys, added, sessions, tokens, customers, preferences, browserZone] = await Promise.all([
    listOwnPasskeys(ctx),
    listRecentPasskeyAdditions(ctx),
    listOwnSessions(ctx),
    listOwnTokens(ctx),
    listCustomers(ctx),
    getMyNotificationPreferences(ctx),
    browserTimeZone(),
  ]);
  return (
    <>
      <PageHeader title="Your account" description={`${session.member.displayName} · ${session.member.email}`} />
      <div className="grid grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Passkeys</CardTitle>
            <CardDescription>Keep at least two, on different devices, so losing one does not lock you out.</CardDescription>
          </CardHeader>
          {added.length > 0 ? (
            <CardContent className="grid gap-2 pb-4">
              {added.map((a) => (
                <Alert key={a.passkeyId} variant="warning" data-testid="passkey-added-notice">
                  A passkey (“{a.name}”) was added to your account on <Time at={a.addedAt} style="minute" /> from {a.browser}
                  {a.ip ? ` at ${a.ip}` : ""}. If this was not you, remove it below and tell your admin. This notice stays for{" "}
                  {PASSKEY_NOTICE_DAYS} days.
                </Alert>
              ))}
            </CardContent>
          ) : null}
          <Table data-testid="passkeys-table">
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Kind</TH>
                <TH>Added</TH>
                <TH>Last used</TH>
                <TH className="text-right">Actions</TH>
              </TR>
            </THead>
            <TBody>
              {passkeys.map((p) => (
                <TR key={p.id}>
                  <TD className="font-medium">{p.name}</TD>
                  <TD>
                    {p.backupEligible ? <Badge variant="muted">Synced{p.backedUp ? ", backed up" : ""}</Badge> : <Badge variant="muted">Device-bound</Badge>}
                  </TD>
                  <TD className="text-muted-foreground"><Time at={p.createdAt} style="minute" /></TD>
                  <TD className="text-muted-foreground">{p.lastUsedAt ? <Time at={p.lastUsedAt} style="minute" /> : "Never"}</TD>
                  <TD className="text-right">
                    <PasskeyActions passkey={{ id: p.id, name: p.name }} isLast={passkeys.length === 1} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <CardContent className="pt-4">
            <AddPasskeyForm />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sessions</CardTitle>
            <CardDescription>
              Where you are signed in. Sessions end after inactivity and at a fixed maximum age, whichever comes first.
            </CardDescription>
          </CardHeader>
          <Table data-testid="sessions-table">
            <THead>
              <TR>
                <TH>Device</TH>
                <TH>Address</TH>
                <TH>Signed in</TH>
                <TH>Last active</TH>
                <TH className="text-right">Actions</TH>
              </TR>
            </THead>
            <TBody>
              {sessions.map((s) => (
                <TR key={s.id}>
                  <TD className="text-xs" title={s.userAgent ?? ""}>{describeUserAgent(s.userAgent)}</TD>
                  <TD className="text-xs text-muted-foreground">{s.ip ?? "—"}</TD>
                  <TD className="text-muted-foreground"><Time at={s.createdAt} style="minute" /></TD>
                  <TD className="text-muted-foreground"><Time at={s.lastSeenAt} style="minute" /></TD>
                  <TD className="text-right">
                    {s.id === session.sessionId ? <Badge>This session</Badge> : <ApiActionButton operation="endSession" input={{ params: { sessionId: s.id } }} label="End session" />}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
        <TimeZoneCard saved={session.member.timeZone} browserZone={browserZone ?? "UTC"} zones={timeZoneChoices(session.member.timeZone ?? "UTC")} />
        <NotificationPreferencesCard mutedEvents={preferences.mutedEvents} email={session.member.email} />
        <TokensCard
          maxDays={tokens.maxDays}
          customers={customers.map((c) => ({ id: c.id, name: c.name }))}
          tokens={tokens.tokens.map((t) => ({
            id: t.id,
            name: t.name,
            type: t.type,
            hint: t.hint,
            scopes: t.scopes,
            customers: t.customers,
            allowedCidrs: t.allowedCidrs,
            expiresAt: t.expiresAt.toISOString(),
            lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            lastUsedIp: t.lastUsedIp,
            status: t.status,
          }))}
        />
      </div>
    </>
  );
}
