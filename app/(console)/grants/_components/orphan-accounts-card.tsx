import Link from "next/link";
import { Time } from "@/components/time/time";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

type OrphanAccount = { id: string; userPrincipalName: string; customerId: string; customerName: string; foundAt: Date; disabledAt: Date | null; detail: string | null };

/** Stint-tagged accounts in customers' tenants with no live grant behind them, and whether the scan disabled them. */
export function OrphanAccountsCard({ accounts }: { accounts: OrphanAccount[] }) {
  return (
    <Card id="orphan-accounts">
      <CardHeader>
        <CardTitle>Accounts found without a grant</CardTitle>
        <CardDescription>The worker scans connected tenants for accounts Stint made; any without a live grant has its roles removed and is disabled.</CardDescription>
      </CardHeader>
      <Table data-testid="orphan-accounts">
        <THead>
          <TR>
            <TH>Account</TH>
            <TH>Customer</TH>
            <TH>Found</TH>
            <TH>Outcome</TH>
          </TR>
        </THead>
        <TBody>
          {accounts.length === 0 ? (
            <TR>
              <TD colSpan={4} className="py-6 text-center text-muted-foreground">None found.</TD>
            </TR>
          ) : null}
          {accounts.map((a) => (
            <TR key={a.id}>
              <TD className="max-w-72 truncate font-mono text-xs" title={a.userPrincipalName}>{a.userPrincipalName}</TD>
              <TD>
                <Link href={`/customers/${a.customerId}`} className="text-primary hover:underline">{a.customerName}</Link>
              </TD>
              <TD className="whitespace-nowrap text-xs"><Time at={a.foundAt} /></TD>
              <TD>
                <div className="grid justify-items-start gap-0.5">
                  {a.disabledAt ? <Badge variant="success">Disabled <Time at={a.disabledAt} /></Badge> : <Badge variant="destructive">Not disabled</Badge>}
                  {a.detail ? <span className="max-w-md text-xs text-muted-foreground">{a.detail}</span> : null}
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
