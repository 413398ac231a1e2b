import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMinutes } from "@/lib/format";
import { SandboxBadge } from "../../customers/_components/sandbox-badge";
import { ApiActionButton } from "@/components/console/api-action-button";

type DelegationRow = {
  id: string;
  memberName: string | null;
  teamName: string | null;
  customerId: string | null;
  customerName: string | null;
  maxDurationMinutes: number;
  accessLevelIds: string[];
};

type Props = { delegations: DelegationRow[]; levelNames: Map<string, string>; sandboxCustomerIds: ReadonlySet<string>; mayManage: boolean; emptyText: string };

function describeSubject(d: DelegationRow): string {
  return d.memberName ?? d.teamName ?? "—";
}

export function DelegationsTable({ delegations, levelNames, sandboxCustomerIds, mayManage, emptyText }: Props) {
  return (
    <Table data-testid="delegations-table">
      <THead>
        <TR>
          <TH>Who</TH>
          <TH>Customer</TH>
          <TH>Access levels</TH>
          <TH>Max duration</TH>
          {mayManage ? <TH className="text-right">Actions</TH> : null}
        </TR>
      </THead>
      <TBody>
        {delegations.length === 0 ? (
          <TR>
            <TD colSpan={mayManage ? 5 : 4} className="py-8 text-center text-muted-foreground">{emptyText}</TD>
          </TR>
        ) : null}
        {delegations.map((d) => (
          <TR key={d.id} data-testid={`delegation-${d.id}`}>
            <TD>
              <div className="flex items-center gap-2">
                <span className="font-medium">{describeSubject(d)}</span>
                {d.teamName ? <Badge variant="muted">Team</Badge> : null}
              </div>
            </TD>
            <TD>
              {d.customerId ? (
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/customers/${d.customerId}`} className="text-primary hover:underline">{d.customerName}</Link>
                  {sandboxCustomerIds.has(d.customerId) ? <SandboxBadge /> : null}
                </div>
              ) : (
                <Badge>All customers</Badge>
              )}
            </TD>
            <TD className="text-sm">{d.accessLevelIds.map((id) => levelNames.get(id) ?? id).join(", ")}</TD>
            <TD className="whitespace-nowrap">{formatMinutes(d.maxDurationMinutes)}</TD>
            {mayManage ? (
              <TD className="text-right">
                <ApiActionButton
                  operation="removeDelegation"
                  input={{ params: { delegationId: d.id } }}
                  label="Remove"
                  confirm={`Remove the delegation to ${describeSubject(d)} on ${d.customerName ?? "all customers"}?`}
                />
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
