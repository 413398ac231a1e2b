import Link from "next/link";
import { PhoneLabel, stackedOnPhones as card, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { Countdown } from "../../grants/_components/countdown";
import { GrantStateBadge } from "../../grants/_components/grant-state-badge";

type LiveGrant = {
  id: string;
  state: GrantState;
  customerId: string;
  customerName: string;
  memberName: string;
  accessLevels: { id: string; name: string }[];
  startAt: Date;
  endsAt: Date | null;
};

/** Who holds admin access where, right now: one row a live grant, trouble first, then what ends soonest. */
export function LiveGrantsTable({ grants }: { grants: LiveGrant[] }) {
  return (
    <Table data-testid="overview-live-grants" className={card.table}>
      <THead className={card.head}>
        <TR>
          <TH>Customer</TH>
          <TH>Technician</TH>
          <TH>Access levels</TH>
          <TH>State</TH>
          <TH>Ends in</TH>
        </TR>
      </THead>
      <TBody className={card.body}>
        {grants.length === 0 ? (
          <TR className={card.row}>
            <TD colSpan={5} className={cn("py-6 text-center text-muted-foreground", card.cell)}>Nobody has admin access in a customer&apos;s tenant right now.</TD>
          </TR>
        ) : null}
        {grants.map((g) => (
          <TR key={g.id} className={card.row} data-testid={`live-grant-${g.id}`}>
            <TD className={cn("font-medium", card.cell, card.title)}>
              <Link href={`/grants/${g.id}`} className="text-primary hover:underline">{g.customerName}</Link>
            </TD>
            <TD className={card.cell}>
              <PhoneLabel>Technician</PhoneLabel>
              {g.memberName}
            </TD>
            <TD className={cn("text-xs", card.cell)}>
              <PhoneLabel>Levels</PhoneLabel>
              {g.accessLevels.map((l) => l.name).join(", ") || "—"}
            </TD>
            <TD className={cn(card.cell, card.aside)}>
              <GrantStateBadge state={g.state} startAt={g.startAt} />
            </TD>
            <TD className={cn("whitespace-nowrap", card.cell, !(g.state === "active" && g.endsAt) && "max-md:hidden")}>
              {g.state === "active" && g.endsAt ? (
                <span className="inline-flex items-center">
                  <PhoneLabel>Ends in</PhoneLabel>
                  <Countdown endsAt={g.endsAt.toISOString()} warnBelowMinutes={15} />
                </span>
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
