import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { formatMinutes } from "@/lib/format";

type Level = { accessLevelId: string; name: string; roleTemplateIds: string[]; maxDurationMinutes: number };

/** A technician's own view: the access levels delegated to them that are enabled on this customer. */
export function MyAccessCard({ levels, roleName }: { levels: Level[]; roleName: (templateId: string) => string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>What you can request here</CardTitle>
        <CardDescription>Access levels delegated to you (directly or through a team) that are enabled on this customer.</CardDescription>
      </CardHeader>
      <Table data-testid="my-access">
        <THead>
          <TR>
            <TH>Access level</TH>
            <TH>Directory roles</TH>
            <TH>Up to</TH>
          </TR>
        </THead>
        <TBody>
          {levels.length === 0 ? (
            <TR>
              <TD colSpan={3} className="py-8 text-center text-muted-foreground">Nothing delegated to you is enabled on this customer right now.</TD>
            </TR>
          ) : null}
          {levels.map((l) => (
            <TR key={l.accessLevelId}>
              <TD>
                <div className="flex items-center gap-2">
                  <span className="font-medium">{l.name}</span>
                  {l.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) ? <Badge variant="destructive">Global Admin</Badge> : null}
                </div>
              </TD>
              <TD className="text-sm">{l.roleTemplateIds.map(roleName).join(", ")}</TD>
              <TD className="whitespace-nowrap">{formatMinutes(l.maxDurationMinutes)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
