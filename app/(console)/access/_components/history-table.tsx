import Link from "next/link";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "../../grants/_components/grant-labels";
import { GrantStateBadge } from "../../grants/_components/grant-state-badge";
import { formatUtc } from "../../grants/_components/times";

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

/** The technician's grants that are over: when the account was usable and why it ended. */
export function HistoryTable({ grants }: { grants: PastGrant[] }) {
  return (
    <Table data-testid="grant-history">
      <THead>
        <TR>
          <TH className="whitespace-nowrap">Customer</TH>
          <TH className="whitespace-nowrap">Account</TH>
          <TH className="whitespace-nowrap">State</TH>
          <TH className="whitespace-nowrap">Usable</TH>
          <TH className="whitespace-nowrap">Why it ended</TH>
          <TH />
        </TR>
      </THead>
      <TBody>
        {grants.length === 0 ? (
          <TR>
            <TD colSpan={6} className="py-8 text-center text-muted-foreground">No past grants yet.</TD>
          </TR>
        ) : null}
        {grants.map((g) => (
          <TR key={g.id}>
            <TD className="whitespace-nowrap font-medium">{g.customerName}</TD>
            <TD className="max-w-56 truncate font-mono text-xs" title={g.upn}>{g.upn}</TD>
            <TD>
              <GrantStateBadge state={g.state} startAt={g.startAt} />
            </TD>
            <TD className="whitespace-nowrap text-xs">
              <div>from {formatUtc(g.usableFrom)}</div>
              <div>to {formatUtc(g.usableTo)}</div>
            </TD>
            <TD className="max-w-72 text-xs">{outcome(g)}</TD>
            <TD className="text-right">
              <Link href={`/grants/${g.id}`} className="text-sm text-primary hover:underline">Timeline</Link>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
