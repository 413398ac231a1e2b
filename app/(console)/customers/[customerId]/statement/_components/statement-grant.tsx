import { Badge } from "@/components/ui/badge";
import { PhoneLabel, stackedOnPhones as card, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMinutes } from "@/lib/format";
import { cn } from "@/lib/utils";
import { formatMoment } from "@/lib/time/format-moment";
import type { StatementGrant } from "@/lib/services/reports/monthly-statement";
import { GrantStateBadge } from "../../../../grants/_components/grant-state-badge";
import { Fact } from "../../../../grants/[grantId]/_components/grant-facts";

const stepVariant = { succeeded: "success", failed: "destructive", running: "warning" } as const;

/** One grant of the statement: who, why, what, planned against actual exposure, and how it was removed. */
export function StatementGrantCard({ grant: g, timeZone, generatedAt }: { grant: StatementGrant; timeZone: string; generatedAt: Date }) {
  const at = (d: Date) => formatMoment(d, timeZone, "minute");
  const exposureEnd = g.exposure && (g.ongoing && g.exposure.to.getTime() === generatedAt.getTime() ? "now (still live)" : at(g.exposure.to));
  return (
    <article className="statement-grant rounded-lg border border-border bg-background p-5 shadow-sm print:rounded-none print:border-0 print:border-t print:px-0 print:shadow-none" data-testid={`statement-grant-${g.id}`}>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-semibold break-words">{g.technician.name}</h3>
          <p className="text-sm break-all text-muted-foreground">{g.technician.email}</p>
        </div>
        <GrantStateBadge state={g.state} startAt={g.requestedAt} />
      </header>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Justification" wide>{g.justification}</Fact>
        <Fact label="Ticket">{g.ticketRef ?? "None"}</Fact>
        <Fact label="Account"><span className="break-all">{g.upn}</span></Fact>
        <Fact label="Access levels">{g.accessLevels.join(", ") || "None"}</Fact>
        <Fact label="Directory roles">{g.roles.join(", ") || "None"}</Fact>
        <Fact label="Planned exposure">{formatMinutes(g.plannedMinutes)} (asked for, with extensions)</Fact>
        <Fact label="Actual exposure in the month">
          {g.exposure ? `${formatMinutes(g.exposure.minutes)}: ${at(g.exposure.from)} to ${exposureEnd}` : "None in this month"}
        </Fact>
        <Fact label="Usable">
          {g.usableFrom
            ? `${at(g.usableFrom)} to ${g.usableTo ? at(g.usableTo) : g.ongoing ? "still live" : "removal not verified"}`
            : "Never: the account could not act"}
        </Fact>
        <Fact label="Grant"><span className="break-all">{g.id}</span></Fact>
        {g.failureReason ? <Fact label="Failure" wide>{g.failureReason}</Fact> : null}
      </dl>
      <h4 className="mt-5 mb-2 text-sm font-semibold">Proof of removal</h4>
      {g.removal.length === 0 ? (
        <p className="text-sm text-muted-foreground">{g.ongoing ? "Not removed yet: the grant is still live." : "No removal step was recorded."}</p>
      ) : (
        <Table className={card.table}>
          <THead className={card.head}>
            <TR>
              <TH>Step</TH>
              <TH>Status</TH>
              <TH>Time</TH>
            </TR>
          </THead>
          <TBody className={card.body}>
            {g.removal.map((r, i) => (
              <TR key={i} className={cn(card.row, "max-md:px-0")}>
                <TD className={cn("font-medium", card.cell, card.title)}>
                  {r.label}
                  {r.status === "failed" && r.detail ? <div className="text-xs font-normal text-muted-foreground">{r.detail}</div> : null}
                </TD>
                <TD className={cn(card.cell, card.aside)}><Badge variant={stepVariant[r.status]}>{r.status}</Badge></TD>
                <TD className={cn("whitespace-nowrap text-xs", card.cell)}>
                  <PhoneLabel>Time</PhoneLabel>
                  {at(r.at)}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </article>
  );
}
