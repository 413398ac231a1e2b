import type { Metadata } from "next";
import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DownloadLink } from "@/components/console/download-link";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { operationUrl } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { requirePageContext } from "@/lib/http/page-context";
import { MONTH_PATTERN, monthTitle, shiftMonth } from "@/lib/reports/zoned-month";
import { formatMoment } from "@/lib/time/format-moment";
import { readMonthlyStatement } from "@/lib/services/reports/monthly-statement";
import { PrintButton } from "./_components/print-button";
import { StatementGrantCard } from "./_components/statement-grant";

export const metadata: Metadata = { title: "Monthly statement" };

type PageProps = { params: Promise<{ customerId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function Total({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
}

/**
 * A customer's monthly statement of admin access, to read here, print (the print styles leave only the
 * statement, on A4) or download as the same statement in PDF. Months are the customer's time zone's.
 */
export default async function StatementPage({ params, searchParams }: PageProps) {
  const { ctx, session } = await requirePageContext();
  if (!can(session.member.role, "grants:read_all")) notFound();
  const { customerId } = await params;
  const asked = (await searchParams).month;
  const month = typeof asked === "string" && MONTH_PATTERN.test(asked) ? asked : undefined;
  const s = await readMonthlyStatement(ctx, customerId, { month }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const zone = s.customer.timeZone;
  const self = (m: string) => `/customers/${s.customer.id}/statement?month=${m}`;
  const unproven = s.grants.filter((g) => g.removalUnproven);
  return (
    <>
      <Link href={`/customers/${s.customer.id}`} className="inline-flex items-center text-sm text-muted-foreground hover:text-foreground max-md:min-h-11 print:hidden">
        ← {s.customer.name}
      </Link>
      <PageHeader
        title={`Admin access statement: ${monthTitle(s.month.month)}`}
        description={`${s.customer.name}, by ${s.mspName}. Times are ${zone}.`}
        actions={
          <div className="flex flex-wrap gap-2 print:hidden">
            <PrintButton />
            <DownloadLink
              href={operationUrl(operations.getCustomerStatementPdf, { customerId: s.customer.id }, { month: s.month.month })}
              label="Download PDF"
              testId="statement-pdf"
              size="sm"
            />
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        {typeof asked === "string" && !month ? <Alert variant="error">“{asked}” is not a month: use YYYY-MM. This is the current month.</Alert> : null}
        <form method="get" className="print:hidden" aria-label="Choose the month">
          <div className="grid gap-1">
            <Label htmlFor="statement-month">Month</Label>
            <div className="flex items-center gap-2">
              <Link href={self(shiftMonth(s.month.month, -1))} className={buttonVariants({ variant: "outline", size: "icon" })} aria-label="Previous month">
                <ChevronLeft className="size-4" aria-hidden="true" />
              </Link>
              <Input id="statement-month" name="month" type="month" defaultValue={s.month.month} pattern="\d{4}-\d{2}" required className="w-40 sm:w-44" />
              <Link href={self(shiftMonth(s.month.month, 1))} className={buttonVariants({ variant: "outline", size: "icon" })} aria-label="Next month">
                <ChevronRight className="size-4" aria-hidden="true" />
              </Link>
              <Button type="submit" variant="outline">Show</Button>
            </div>
          </div>
        </form>
        <Card className="print:border-0 print:shadow-none">
          <CardContent className="grid gap-4 pt-5 print:px-0">
            <p className="text-sm text-muted-foreground">
              From {formatMoment(s.month.from, zone, "minute")} to {formatMoment(s.month.to, zone, "minute")} ({zone}): every grant whose account could act in this
              customer&apos;s tenant, and any whose removal Stint could not prove.
            </p>
            <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
              <Total label="Grants" value={String(s.totals.grants)} testId="statement-grants" />
              <Total label="Technicians" value={String(s.totals.technicians)} testId="statement-technicians" />
              <Total label="Hours of admin exposure" value={s.totals.exposureHours.toFixed(2)} testId="statement-hours" />
              <Total label="Removal not proven" value={String(s.totals.removalUnproven)} testId="statement-unproven" />
            </dl>
            {unproven.length ? (
              <Alert variant="error" data-testid="statement-unproven-list">
                <p className="font-medium">Stint could not prove the removal of {unproven.length === 1 ? "this grant" : `these ${unproven.length} grants`}:</p>
                <ul className="mt-1 list-disc pl-5">
                  {unproven.map((g) => (
                    <li key={g.id} className="break-words">
                      {g.technician.name} ({g.upn}): {g.state}
                      {g.failureReason ? `, ${g.failureReason}` : ""}
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : null}
          </CardContent>
        </Card>
        <section className="grid gap-4" aria-label="Grants">
          {s.grants.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nobody had admin access to this customer&apos;s tenant through Stint in this month.</p>
          ) : (
            s.grants.map((g) => <StatementGrantCard key={g.id} grant={g} timeZone={zone} generatedAt={s.generatedAt} />)
          )}
        </section>
        <p className="text-xs break-all text-muted-foreground" data-testid="statement-chain-head">
          Generated {s.generatedAt.toISOString()}. Audit chain head: seq {s.chainHead.seq}, hash {s.chainHead.hash} (this statement&apos;s own audit
          event, customer.statement_read).
        </p>
      </div>
    </>
  );
}
