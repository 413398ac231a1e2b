import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PhoneLabel, stackedOnPhones, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { cn } from "@/lib/utils";
import { Countdown } from "./countdown";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "./grant-labels";
import { GrantStateBadge } from "./grant-state-badge";
import { ApiActionButton } from "@/components/console/api-action-button";
import { Time } from "@/components/time/time";
import { RevokeGrantDialog } from "./revoke-grant-dialog";

type GrantRow = {
  id: string;
  state: GrantState;
  customerId: string;
  customerName: string;
  isSandbox: boolean;
  memberName: string;
  upn: string;
  roleTemplateIds: string[];
  startAt: Date;
  endsAt: Date | null;
  usableTo: Date | null;
  endReason: GrantEndReason | null;
  failureReason: string | null;
  nextExpiryAttemptAt: Date | null;
};

type Props = { grants: GrantRow[]; scope: "live" | "history"; roleName: (templateId: string) => string; mayRevoke: boolean };

const EXPIRING_SOON_MS = 15 * 60_000;
const revocableStates: readonly GrantState[] = ["approved", "provisioning", "active"];

function expiringSoon(g: GrantRow): boolean {
  return g.state === "active" && g.endsAt !== null && g.endsAt.getTime() - Date.now() < EXPIRING_SOON_MS;
}

/** Whether there is anything to say about the grant's end while it is live (a card on a phone leaves out a bare dash). */
function hasEndsIn(grant: GrantRow): boolean {
  return (grant.state === "active" && grant.endsAt !== null) || (grant.state === "approved" && grant.startAt.getTime() > Date.now()) || grant.state === "expiring" || grant.state === "irrevocable";
}

function EndsIn({ grant }: { grant: GrantRow }) {
  if (grant.state === "active" && grant.endsAt) {
    return (
      <div className="flex items-center gap-2">
        <Countdown endsAt={grant.endsAt.toISOString()} warnBelowMinutes={15} />
        {expiringSoon(grant) ? <Badge variant="warning" className="whitespace-nowrap">Expiring soon</Badge> : null}
      </div>
    );
  }
  if (grant.state === "approved" && grant.startAt.getTime() > Date.now()) return <span className="text-xs">starts <Time at={grant.startAt} style="short" /></span>;
  if (grant.state === "expiring") return <span className="text-xs">{grant.endReason ? endReasonLabels[grant.endReason] : "Ending"}: taking access away</span>;
  if (grant.state === "irrevocable") {
    return (
      <div className="grid gap-0.5 text-xs">
        <span className="text-destructive">{grant.failureReason ?? "revocation keeps failing"}</span>
        {grant.nextExpiryAttemptAt ? <span className="text-muted-foreground">next attempt <Time at={grant.nextExpiryAttemptAt} style="short" /></span> : null}
      </div>
    );
  }
  return <span className="text-muted-foreground">—</span>;
}

function Outcome({ grant }: { grant: GrantRow }) {
  if (grant.state === "failed") return <span className="text-destructive">{grant.failureReason ?? "Could not be provisioned."}</span>;
  return <>{grant.endReason ? endReasonLabels[grant.endReason] : "—"}</>;
}

const card = stackedOnPhones;

/**
 * Grants across customers: live ones with time left and a revoke, or the history with how each ended. On
 * phones each grant is a card: customer and state, who and which account, time left, then the actions.
 */
export function GrantsTable({ grants, scope, roleName, mayRevoke }: Props) {
  const live = scope === "live";
  return (
    <Table data-testid="grants-table" className={card.table}>
      <THead className={card.head}>
        <TR>
          <TH>Customer</TH>
          <TH>Technician</TH>
          <TH>Account</TH>
          <TH>Roles</TH>
          <TH>State</TH>
          {live ? <TH>Ends in</TH> : <TH>Usable to</TH>}
          {live ? <TH className="text-right">Actions</TH> : <TH className="whitespace-nowrap">Why it ended</TH>}
        </TR>
      </THead>
      <TBody className={card.body}>
        {grants.length === 0 ? (
          <TR className={card.row}>
            <TD colSpan={7} className={cn("py-8 text-center text-muted-foreground", card.cell, "max-md:py-6")}>{live ? "Nobody has access right now." : "No past grants match."}</TD>
          </TR>
        ) : null}
        {grants.map((g) => (
          <TR key={g.id} className={cn(card.row, expiringSoon(g) && "bg-amber-50 hover:bg-amber-100/60 dark:bg-amber-950/40 dark:hover:bg-amber-900/40", g.state === "irrevocable" && "bg-red-50 hover:bg-red-100/60 dark:bg-red-950/40 dark:hover:bg-red-900/40")} data-testid={`grant-row-${g.id}`}>
            <TD className={cn(card.cell, card.title)}>
              <div className="flex flex-wrap items-center gap-2">
                <Link href={`/customers/${g.customerId}`} className="font-medium text-primary hover:underline">{g.customerName}</Link>
                {g.isSandbox ? (
                  <Badge variant="warning" title="Sandbox — emulated tenant">
                    Sandbox
                  </Badge>
                ) : null}
              </div>
            </TD>
            <TD className={cn("whitespace-nowrap", card.cell)}>{g.memberName}</TD>
            <TD className={cn("max-w-48 truncate font-mono text-xs", card.cell, "max-md:whitespace-normal max-md:break-all")} title={g.upn}>
              <Link href={`/grants/${g.id}`} className="hover:underline">{g.upn}</Link>
            </TD>
            <TD className={cn("max-w-48 text-xs", card.cell, "max-md:text-muted-foreground")}>{g.roleTemplateIds.map(roleName).join(", ")}</TD>
            <TD className={cn(card.cell, card.aside)}>
              <GrantStateBadge state={g.state} startAt={g.startAt} />
            </TD>
            {live ? (
              <TD className={cn("max-w-56", card.cell, "max-md:flex max-md:items-start", !hasEndsIn(g) && "max-md:hidden")}>
                {g.state === "active" ? <PhoneLabel>Ends in</PhoneLabel> : null}
                <EndsIn grant={g} />
              </TD>
            ) : (
              <TD className={cn("whitespace-nowrap text-xs", card.cell)}>
                <PhoneLabel>Usable to</PhoneLabel>
                <Time at={g.usableTo} />
              </TD>
            )}
            {live ? (
              <TD className={cn("text-right", card.cell, "max-md:mt-1")}>
                <div className="flex items-start justify-end gap-1 max-md:flex-wrap max-md:justify-start">
                  <Link href={`/grants/${g.id}`} className="px-2 py-1.5 text-sm text-primary hover:underline max-md:inline-flex max-md:h-11 max-md:items-center max-md:pr-3 max-md:pl-0 max-md:font-medium">Timeline</Link>
                  {mayRevoke && revocableStates.includes(g.state) && !g.endReason ? <RevokeGrantDialog grantId={g.id} memberName={g.memberName} customerName={g.customerName} /> : null}
                  {mayRevoke && g.state === "irrevocable" ? <ApiActionButton operation="retryRevocation" input={{ params: { grantId: g.id } }} label="Retry now" destructive={false} outlined /> : null}
                </div>
              </TD>
            ) : (
              <TD className={cn("max-w-72 text-xs", card.cell)}>
                <Outcome grant={g} />
              </TD>
            )}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
