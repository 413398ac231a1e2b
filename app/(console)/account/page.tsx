import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePageContext } from "@/lib/http/page-context";
import { describeUserAgent } from "@/lib/http/user-agent";
import { listCustomers } from "@/lib/services/customers/list";
import { getMyNotificationPreferences } from "@/lib/services/notifications/get-preferences";
import { listOwnPasskeys } from "@/lib/services/passkeys/list";
import { listRecentPasskeyAdditions, PASSKEY_NOTICE_DAYS } from "@/lib/services/passkeys/recent-additions";
import { listOwnSessions } from "@/lib/services/sessions/list";
import { listOwnTokens } from "@/lib/services/tokens/list";
import { AddPasskeyForm } from "./_components/add-passkey-form";
import { NotificationPreferencesCard } from "./_components/notification-preferences-card";
import { ApiActionButton } from "@/components/console/api-action-button";
import { PasskeyActions } from "./_components/passkey-actions";
import { TokensCard } from "./_components/tokens-card";

export const metadata: Metadata = { title: "Your account" };

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function AccountPage() {
  const { ctx, session } = await requirePageContext();
  const [passkeys, added, sessions, tokens, customers, preferences] = await Promise.all([
    listOwnPasskeys(ctx),
    listRecentPasskeyAdditions(ctx),
    listOwnSessions(ctx),
    listOwnTokens(ctx),
    listCustomers(ctx),
    getMyNotificationPreferences(ctx),
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
                  A passkey (“{a.name}”) was added to your account on {dateFormat.format(a.addedAt)} UTC from {a.browser}
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
                <TH>Added (UTC)</TH>
                <TH>Last used (UTC)</TH>
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
                  <TD className="text-muted-foreground">{dateFormat.format(p.createdAt)}</TD>
                  <TD className="text-muted-foreground">{p.lastUsedAt ? dateFormat.format(p.lastUsedAt) : "Never"}</TD>
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
                <TH>Signed in (UTC)</TH>
                <TH>Last active (UTC)</TH>
                <TH className="text-right">Actions</TH>
              </TR>
            </THead>
            <TBody>
              {sessions.map((s) => (
                <TR key={s.id}>
                  <TD className="text-xs" title={s.userAgent ?? ""}>{describeUserAgent(s.userAgent)}</TD>
                  <TD className="text-xs text-muted-foreground">{s.ip ?? "—"}</TD>
                  <TD className="text-muted-foreground">{dateFormat.format(s.createdAt)}</TD>
                  <TD className="text-muted-foreground">{dateFormat.format(s.lastSeenAt)}</TD>
                  <TD className="text-right">
                    {s.id === session.sessionId ? <Badge>This session</Badge> : <ApiActionButton operation="endSession" input={{ params: { sessionId: s.id } }} label="End session" />}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
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
