import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePageContext } from "@/lib/http/page-context";
import { listAccessLevels } from "@/lib/services/access-levels/list";
import { listRoleCatalog } from "@/lib/services/access-levels/list-catalog";
import { AccessLevelForm } from "./_components/access-level-form";
import { AccessLevelRow } from "./_components/access-level-row";

export const metadata: Metadata = { title: "Access levels" };

export default async function AccessLevelsPage() {
  const { ctx } = await requirePageContext("access_levels:manage");
  const [levels, catalog] = await Promise.all([listAccessLevels(ctx), listRoleCatalog(ctx)]);
  const roleNames = new Map(catalog.map((r) => [r.templateId, r.displayName]));
  return (
    <>
      <PageHeader title="Access levels" description="Named bundles of Entra directory roles. Enable them per customer, then delegate them to technicians." />
      <div className="grid grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle>New access level</CardTitle>
            <CardDescription>Choose the fewest roles that get the job done: every grant hands out all of them.</CardDescription>
          </CardHeader>
          <CardContent>
            <AccessLevelForm catalog={catalog} />
          </CardContent>
        </Card>
        <Card>
          <Table data-testid="access-levels-table">
            <THead>
              <TR>
                <TH>Access level</TH>
                <TH>Directory roles</TH>
                <TH>Enabled on</TH>
                <TH className="text-right">Actions</TH>
              </TR>
            </THead>
            <TBody>
              {levels.length === 0 ? (
                <TR>
                  <TD colSpan={4} className="py-8 text-center text-muted-foreground">No access levels yet.</TD>
                </TR>
              ) : null}
              {levels.map((l) => (
                <AccessLevelRow
                  key={l.id}
                  level={{ id: l.id, name: l.name, description: l.description, roleTemplateIds: l.roleTemplateIds, privileged: l.privileged, customerCount: l.customerIds.length }}
                  roleNames={l.roleTemplateIds.map((id) => roleNames.get(id) ?? id)}
                  catalog={catalog}
                />
              ))}
            </TBody>
          </Table>
        </Card>
      </div>
    </>
  );
}
