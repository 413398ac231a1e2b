import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, roleLabels } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { viewerTimeZone } from "@/lib/http/viewer-time-zone";
import type { ServiceContext } from "@/lib/services/context";
import { listMyRequestable } from "@/lib/services/delegations/list-my-requestable";
import { listAllGrants, listMyGrants } from "@/lib/services/grants/list";
import { listAttention } from "@/lib/services/overview/list-attention";
import { readFirstRun } from "@/lib/services/overview/read-first-run";
import { EXPOSURE_DAYS, readExposure } from "@/lib/services/overview/read-exposure";
import { Countdown } from "../grants/_components/countdown";
import { GrantStateBadge } from "../grants/_components/grant-state-badge";
import { AttentionCard } from "./_components/attention-card";
import { ExposureChartLazy } from "./_components/exposure-chart-lazy";
import { FirstRunChecklist } from "./_components/first-run-checklist";
import { LiveGrantsTable } from "./_components/live-grants-table";
import { RequestableCard } from "./_components/requestable-card";

export const metadata: Metadata = { title: "Overview" };

/** The MSP-wide view for roles that see every grant: what needs action, who has access now, and exposure over time. */
async function MspOverview({ ctx, timeZone }: { ctx: ServiceContext; timeZone: string }) {
  const [attention, live, exposure] = await Promise.all([listAttention(ctx), listAllGrants(ctx, { scope: "live" }), readExposure(ctx, { timeZone })]);
  return (
    <>
      <AttentionCard attention={attention} />
      <Card>
        <CardHeader>
          <CardTitle>Admin access right now</CardTitle>
          <CardDescription>
            {live.length === 0 ? "No technician holds admin access in a customer's tenant." : `${live.length} live ${live.length === 1 ? "grant" : "grants"} across your customers.`}{" "}
            <Link href="/grants" className="font-medium text-primary hover:underline">All grants →</Link>
          </CardDescription>
        </CardHeader>
        <LiveGrantsTable grants={live} />
      </Card>
      <section aria-labelledby="exposure-heading" className="grid gap-4" data-testid="overview-exposure">
        <div>
          <h2 id="exposure-heading" className="text-lg font-semibold">Admin exposure, last {EXPOSURE_DAYS} days</h2>
          <p className="text-sm text-muted-foreground">
            Hours during which a JIT account could act as admin, from the moment it was usable until its removal was verified in Microsoft Graph:{" "}
            <span className="font-medium text-foreground" data-testid="exposure-total">{exposure.totalHours} h</span> in all. Days are in {timeZone}.
          </p>
        </div>
        <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {[
            { title: "Hours per customer", labelHeading: "Customer", testId: "exposure-by-customer", rows: exposure.byCustomer.map((r) => ({ label: r.customerName, value: r.hours })) },
            { title: "Hours per technician", labelHeading: "Technician", testId: "exposure-by-technician", rows: exposure.byTechnician.map((r) => ({ label: r.memberName, value: r.hours })) },
          ].map((chart) => (
            <Card key={chart.testId}>
              <CardHeader>
                <CardTitle>{chart.title}</CardTitle>
              </CardHeader>
              <CardContent>
                <ExposureChartLazy title={`Admin ${chart.title.toLowerCase()}`} labelHeading={chart.labelHeading} valueHeading="Hours" layout="bars" testId={chart.testId} rows={chart.rows} />
              </CardContent>
            </Card>
          ))}
          <Card className="lg:col-span-2">
            <CardHeader>
              <CardTitle>Grants per day</CardTitle>
              <CardDescription>Accounts that became usable each day.</CardDescription>
            </CardHeader>
            <CardContent>
              <ExposureChartLazy title="Grants per day" labelHeading="Day (UTC)" valueHeading="Grants" layout="columns" testId="exposure-per-day"
                rows={exposure.perDay.map((r) => ({ label: r.day.slice(5), value: r.grants }))} />
            </CardContent>
          </Card>
        </div>
      </section>
    </>
  );
}

export default async function OverviewPage() {
  const { ctx, session } = await requirePageContext();
  const role = session.member.role;
  const [liveGrants, requestable, firstRun, timeZone] = await Promise.all([
    listMyGrants(ctx, { scope: "live" }),
    role === "auditor" ? null : listMyRequestable(ctx),
    can(role, "customers:manage") ? readFirstRun(ctx) : null,
    viewerTimeZone(session.member.timeZone),
  ]);
  return (
    <>
      <PageHeader title={`Welcome, ${session.member.displayName}`} description={`${session.mspName} · ${roleLabels[role]}`} />
      <div className="grid grid-cols-1 gap-6">
        {firstRun ? <FirstRunChecklist run={firstRun} /> : null}
        {can(role, "grants:read_all") ? <MspOverview ctx={ctx} timeZone={timeZone} /> : null}
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
                  <Link href={`/grants/${g.id}`} className="truncate font-medium hover:underline">{g.customerName}</Link>
                  <span className="flex items-center gap-2">
                    {g.state === "active" && g.endsAt ? <Countdown endsAt={g.endsAt.toISOString()} /> : null}
                    <GrantStateBadge state={g.state} startAt={g.startAt} />
                  </span>
                </div>
              ))}
              {role === "auditor" ? null : liveGrants.length === 0 ? (
                <Link className="text-sm font-medium text-primary hover:underline" href="/access/request">Request access →</Link>
              ) : (
                <Link className="text-sm font-medium text-primary hover:underline" href="/access">Open my access →</Link>
              )}
            </CardContent>
          </Card>
          {requestable && (role === "technician" || requestable.length > 0) ? <RequestableCard customers={requestable} /> : null}
        </div>
      </div>
    </>
  );
}
