import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { AccessLevelToggle } from "./access-level-toggle";

type Level = { id: string; name: string; description: string; roleTemplateIds: string[]; customerIds: string[] };
type Props = { customerId: string; levels: Level[]; roleName: (templateId: string) => string; mayToggle: boolean };

export function AccessLevelsCard({ customerId, levels, roleName, mayToggle }: Props) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Access levels</CardTitle>
        <CardDescription>What may be requested on this customer. Delegations can only hand out the levels enabled here.</CardDescription>
      </CardHeader>
      <Table data-testid="customer-access-levels">
        <THead>
          <TR>
            <TH>Access level</TH>
            <TH>Directory roles</TH>
            <TH className="text-right">On this customer</TH>
          </TR>
        </THead>
        <TBody>
          {levels.length === 0 ? (
            <TR>
              <TD colSpan={3} className="py-8 text-center text-muted-foreground">
                No access levels yet.{" "}
                {mayToggle ? (
                  <Link href="/access-levels" className="text-primary hover:underline">
                    Create one →
                  </Link>
                ) : null}
              </TD>
            </TR>
          ) : null}
          {levels.map((l) => {
            const enabled = l.customerIds.includes(customerId);
            return (
              <TR key={l.id} data-testid={`level-${l.name}`}>
                <TD>
                  <div className="flex items-center gap-2">
                    <span className="font-medium">{l.name}</span>
                    {l.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) ? <Badge variant="destructive">Global Admin</Badge> : null}
                  </div>
                  {l.description ? <div className="text-xs text-muted-foreground">{l.description}</div> : null}
                </TD>
                <TD className="text-xs text-muted-foreground">{l.roleTemplateIds.map(roleName).join(", ")}</TD>
                <TD className="text-right">
                  {mayToggle ? (
                    <AccessLevelToggle customerId={customerId} level={{ id: l.id, name: l.name }} enabled={enabled} />
                  ) : (
                    <Badge variant={enabled ? "success" : "muted"}>{enabled ? "Enabled" : "Off"}</Badge>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </Card>
  );
}
