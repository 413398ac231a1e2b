import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, roleLabels } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { listMyGrants } from "@/lib/services/grants/list";
import { Countdown } from "../grants/_components/countdown";
import { GrantStateBadge } from "../grants/_components/grant-state-badge";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { ctx, session } = await requirePageContext();
  const role = session.member.role;
  const liveGrants = await listMyGrants(ctx, { scope: "live" });
  return (
    <>
      <PageHeader title={`Welcome, ${session.member.displayName}`} description={`${session.mspName} · ${roleLabels[role]}`} />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Card data-testid="my-access-summary">
          <CardHeader>
            <CardTitle>Your access</CardTitle>
            <CardDescription>
              {liveGrants.length === 0 ? "No admin access in any customer's tenant right now." : `${liveGrants.length} live ${liveGrants.length === 1 ? "grant" : "grants"} in customers' tenants.`}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            {liveGrants.map((g) => (
              <div key={g.id} className="flex items-center justify-between gap-2 text-sm">
                <span className="truncate font-medium">{g.customerName}</span>
                <span className="flex items-center gap-2">
                  {g.state === "active" && g.endsAt ? <Countdown endsAt={g.endsAt.toISOString()} /> : null}
                  <GrantStateBadge state={g.state} startAt={g.startAt} />
                </span>
              </div>
            ))}
            {liveGrants.length === 0 ? (
              <Link className="text-sm font-medium text-primary hover:underline" href="/access/request">Request access →</Link>
            ) : (
              <Link className="text-sm font-medium text-primary hover:underline" href="/access">Open my access →</Link>
            )}
          </CardContent>
        </Card>
        {can(role, "members:read") ? (
          <Card>
            <CardHeader>
              <CardTitle>Members</CardTitle>
              <CardDescription>Invite technicians and auditors, manage roles, disable or recover access.</CardDescription>
            </CardHeader>
            <CardContent>
              <Link className="text-sm font-medium text-primary hover:underline" href="/members">Open members →</Link>
            </CardContent>
          </Card>
        ) : null}
        {can(role, "audit:read") ? (
          <Card>
            <CardHeader>
              <CardTitle>Audit log</CardTitle>
              <CardDescription>Every sign-in, invite, passkey and role change, hash-chained and verifiable.</CardDescription>
            </CardHeader>
            <CardContent>
              <Link className="text-sm font-medium text-primary hover:underline" href="/audit">Open audit log →</Link>
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Your passkeys and sessions</CardTitle>
            <CardDescription>Add a second passkey so you never lock yourself out; end sessions you do not recognise.</CardDescription>
          </CardHeader>
          <CardContent>
            <Link className="text-sm font-medium text-primary hover:underline" href="/account">Open your account →</Link>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
