import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { cn } from "@/lib/utils";
import { Countdown } from "./countdown";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import { endReasonLabels } from "./grant-labels";
import { GrantStateBadge } from "./grant-state-badge";
import { ApiActionButton } from "@/components/console/api-action-button";
import { formatUtc, formatUtcShort } from "./times";

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

function EndsIn({ grant }: { grant: GrantRow }) {
  if (grant.state === "active" && grant.endsAt) {
    return (
      <div className="flex items-center gap-2">
        <Countdown endsAt={grant.endsAt.toISOString()} warnBelowMinutes={15} />
        {expiringSoon(grant) ? <Badge variant="warning" className="whitespace-nowrap">Expiring soon</Badge> : null}
      </div>
    );
  }
  if (grant.state === "approved" && grant.startAt.getTime() > Date.now()) return <span className="text-xs">starts {formatUtcShort(grant.startAt)}</span>;
  if (grant.state === "expiring") return <span className="text-xs">{grant.endReason ? endReasonLabels[grant.endReason] : "Ending"}: taking access away</span>;
  if (grant.state === "irrevocable") {
    return (
      <div className="grid gap-0.5 text-xs">
        <span className="text-destructive">{grant.failureReason ?? "revocation keeps failing"}</span>
        {grant.nextExpiryAttemptAt ? <span className="text-muted-foreground">next attempt {formatUtcShort(grant.nextExpiryAttemptAt)}</span> : null}
      </div>
    );
  }
  return <span className="text-muted-foreground">—</span>;
}

function Outcome({ grant }: { grant: GrantRow }) {
  if (grant.state === "failed") return <span className="text-destructive">{grant.failureReason ?? "Could not be provisioned."}</span>;
  return <>{grant.endReason ? endReasonLabels[grant.endReason] : "—"}</>;
}

/** Grants across customers: live ones with time left and a revoke, or the history with how each ended. */
export function GrantsTable({ grants, scope, roleName, mayRevoke }: Props) {
  const live = scope === "live";
  return (
    <Table data-testid="grants-table">
      <THead>
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
      <TBody>
        {grants.length === 0 ? (
          <TR>
            <TD colSpan={7} className="py-8 text-center text-muted-foreground">{live ? "Nobody has access right now." : "No past grants match."}</TD>
          </TR>
        ) : null}
        {grants.map((g) => (
          <TR key={g.id} className={cn(expiringSoon(g) && "bg-amber-50 hover:bg-amber-100/60", g.state === "irrevocable" && "bg-red-50 hover:bg-red-100/60")} data-testid={`grant-row-${g.id}`}>
            <TD>
              <div className="flex flex-wrap items-center gap-2">
                <Link href={`/customers/${g.customerId}`} className="font-medium text-primary hover:underline">{g.customerName}</Link>
                {g.isSandbox ? (
                  <Badge variant="warning" title="Sandbox — emulated tenant">
                    Sandbox
                  </Badge>
                ) : null}
              </div>
            </TD>
            <TD className="whitespace-nowrap">{g.memberName}</TD>
            <TD className="max-w-48 truncate font-mono text-xs" title={g.upn}>
              <Link href={`/grants/${g.id}`} className="hover:underline">{g.upn}</Link>
            </TD>
            <TD className="max-w-48 text-xs">{g.roleTemplateIds.map(roleName).join(", ")}</TD>
            <TD>
              <GrantStateBadge state={g.state} startAt={g.startAt} />
            </TD>
            {live ? (
              <TD className="max-w-56">
                <EndsIn grant={g} />
              </TD>
            ) : (
              <TD className="whitespace-nowrap text-xs">{formatUtc(g.usableTo)}</TD>
            )}
            {live ? (
              <TD className="text-right">
                <div className="flex items-start justify-end gap-1">
                  <Link href={`/grants/${g.id}`} className="px-2 py-1.5 text-sm text-primary hover:underline">Timeline</Link>
                  {mayRevoke && revocableStates.includes(g.state) && !g.endReason ? <ApiActionButton operation="revokeGrant" input={{ params: { grantId: g.id } }} label="Revoke" confirm={`Revoke ${g.memberName}'s access to ${g.customerName}? The account loses its roles and is disabled now.`} /> : null}
                  {mayRevoke && g.state === "irrevocable" ? <ApiActionButton operation="retryRevocation" input={{ params: { grantId: g.id } }} label="Retry now" destructive={false} outlined /> : null}
                </div>
              </TD>
            ) : (
              <TD className="max-w-72 text-xs">
                <Outcome grant={g} />
              </TD>
            )}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
