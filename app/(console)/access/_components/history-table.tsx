import Link from "next/link";
import { Time } from "@/components/time/time";
import { stackedOnPhones, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "../../grants/_components/grant-labels";
import { GrantStateBadge } from "../../grants/_components/grant-state-badge";

type PastGrant = {
  id: string;
  state: GrantState;
  customerName: string;
  upn: string;
  startAt: Date;
  usableFrom: Date | null;
  usableTo: Date | null;
  endReason: GrantEndReason | null;
  failureReason: string | null;
};

function outcome(g: PastGrant): string {
  if (g.state === "failed") return g.failureReason ?? "Could not be provisioned.";
  return g.endReason ? endReasonLabels[g.endReason] : "—";
}

const card = stackedOnPhones;

/** The technician's grants that are over: when the account was usable and why it ended. On phones, one card each. */
export function HistoryTable({ grants }: { grants: PastGrant[] }) {
  return (
    <Table data-testid="grant-history" className={card.table}>
      <THead className={card.head}>
        <TR>
          <TH className="whitespace-nowrap">Customer</TH>
          <TH className="whitespace-nowrap">Account</TH>
          <TH className="whitespace-nowrap">State</TH>
          <TH className="whitespace-nowrap">Usable</TH>
          <TH className="whitespace-nowrap">Why it ended</TH>
          <TH />
        </TR>
      </THead>
      <TBody className={card.body}>
        {grants.length === 0 ? (
          <TR className={card.row}>
            <TD colSpan={6} className={cn("py-8 text-center text-muted-foreground", card.cell, "max-md:py-6")}>No past grants yet.</TD>
          </TR>
        ) : null}
        {grants.map((g) => (
          <TR key={g.id} className={card.row}>
            <TD className={cn("whitespace-nowrap font-medium", card.cell, card.title, "max-md:whitespace-normal")}>{g.customerName}</TD>
            <TD className={cn("max-w-56 truncate font-mono text-xs", card.cell, "max-md:whitespace-normal max-md:break-all")} title={g.upn}>{g.upn}</TD>
            <TD className={cn(card.cell, card.aside)}>
              <GrantStateBadge state={g.state} startAt={g.startAt} />
            </TD>
            <TD className={cn("whitespace-nowrap text-xs", card.cell, "max-md:flex max-md:flex-wrap max-md:gap-x-1.5")}>
              <div>from <Time at={g.usableFrom} /></div>
              <div>to <Time at={g.usableTo} /></div>
            </TD>
            <TD className={cn("max-w-72 text-xs", card.cell)}>{outcome(g)}</TD>
            <TD className={cn("text-right", card.cell, "max-md:text-left")}>
              <Link href={`/grants/${g.id}`} className="text-sm text-primary hover:underline max-md:inline-flex max-md:h-11 max-md:items-center max-md:font-medium">Timeline</Link>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
