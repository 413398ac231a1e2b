import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Time } from "@/components/time/time";
import { operationUrl } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePageContext } from "@/lib/http/page-context";
import { viewerTimeZone } from "@/lib/http/viewer-time-zone";
import { auditFilterInput, getLatestChainCheck, listAuditEvents } from "@/lib/services/audit/list";
import { endOfDateInput, startOfDateInput } from "@/lib/time/zoned-input";
import { AuditFilters } from "./_components/audit-filters";

export const metadata: Metadata = { title: "Audit log" };

const PAGE = 50;

/**
 * The filter's dates are days in the viewer's zone, as its labels say, both included: from the moment the first
 * starts there to the moment the day after the last starts.
 */
function withDaysInZone(raw: Record<string, string>, zone: string): Record<string, string> {
  const bounds = { from: startOfDateInput, to: endOfDateInput };
  const moments = (["from", "to"] as const).flatMap((key) => {
    const at = raw[key] ? bounds[key](raw[key], zone) : null;
    return at ? [[key, at.toISOString()]] : [];
  });
  return { ...raw, ...Object.fromEntries(moments) };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, session } = await requirePageContext("audit:read");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const filters = withDaysInZone(raw, await viewerTimeZone(session.member.timeZone));
  const parsed = auditFilterInput.safeParse({ ...filters, limit: PAGE });
  const filter = parsed.success ? parsed.data : { limit: PAGE };
  const [events, check] = await Promise.all([listAuditEvents(ctx, filter), getLatestChainCheck(ctx)]);
  const query = new URLSearchParams(raw);
  query.delete("beforeSeq");
  const exportQuery = new URLSearchParams(filters);
  exportQuery.delete("beforeSeq");
  const last = events.at(-1);
  const older = events.length === PAGE && last ? `/audit?${new URLSearchParams({ ...Object.fromEntries(query), beforeSeq: String(last.seq) })}` : null;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Append-only and hash-chained: each event seals the one before it, and the chain's head is sealed every few minutes with a key the database does not hold."
        actions={
          <a className={buttonVariants({ variant: "outline" })} href={operationUrl(operations.exportAuditEvents, {}, Object.fromEntries(exportQuery))} data-testid="export-csv">
            Export CSV
          </a>
        }
      />
      <div className="grid grid-cols-1 gap-4">
        {check ? (
          <Alert variant={check.ok ? "success" : "error"} data-testid="chain-status">
            {check.ok
              ? `Chain verified: ${check.eventsChecked} events intact and matching ${check.checkpointsChecked} sealed checkpoints`
              : `Chain broken at event ${check.firstBrokenSeq}: ${check.detail}`}{" "}
            (checked <Time at={check.checkedAt} />).
          </Alert>
        ) : (
          <Alert variant="info">The chain has not been verified yet; the worker checks it every hour.</Alert>
        )}
        {!parsed.success ? <Alert variant="warning">Some filters were invalid and were ignored.</Alert> : null}
        <AuditFilters initial={raw} />
        <Card>
          <Table data-testid="audit-table">
            <THead>
              <TR>
                <TH>#</TH>
                <TH>Time</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Target</TH>
                <TH>Result</TH>
                <TH>From</TH>
              </TR>
            </THead>
            <TBody>
              {events.length === 0 ? (
                <TR>
                  <TD colSpan={7} className="py-8 text-center text-muted-foreground">No events match these filters.</TD>
                </TR>
              ) : null}
              {events.map((e) => (
                <TR key={e.id}>
                  <TD className="font-mono text-xs text-muted-foreground">{e.seq}</TD>
                  <TD className="whitespace-nowrap text-xs"><Time at={e.occurredAt} /></TD>
                  <TD className="max-w-48 truncate" title={e.actorLabel ?? ""}>{e.actorLabel ?? e.actorType}</TD>
                  <TD className="font-mono text-xs">{e.action}</TD>
                  <TD className="max-w-56 truncate text-xs" title={e.targetLabel ?? e.targetId ?? ""}>
                    {e.targetType ? `${e.targetType}: ${e.targetLabel ?? e.targetId}` : "—"}
                  </TD>
                  <TD>
                    <Badge variant={e.result === "success" ? "success" : "destructive"} title={e.reason ?? undefined}>
                      {e.result}
                    </Badge>
                    {e.reason ? <div className="mt-0.5 max-w-56 truncate text-xs text-muted-foreground" title={e.reason}>{e.reason}</div> : null}
                  </TD>
                  <TD className="max-w-40 truncate text-xs text-muted-foreground" title={e.userAgent ?? ""}>{e.ip ?? "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
        {older ? (
          <div className="flex justify-end">
            <Link href={older} className={buttonVariants({ variant: "outline", size: "sm" })}>Older events →</Link>
          </div>
        ) : null}
      </div>
    </>
  );
}
