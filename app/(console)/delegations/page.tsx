import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can, roleLabels } from "@/lib/auth/permissions";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { requirePageContext } from "@/lib/http/page-context";
import { listAccessLevels } from "@/lib/services/access-levels/list";
import { listCustomers } from "@/lib/services/customers/list";
import { listDelegations } from "@/lib/services/delegations/list";
import { listMembers } from "@/lib/services/members/list";
import { listTeams } from "@/lib/services/teams/list";
import { ApiActionButton } from "@/components/console/api-action-button";
import { DelegationForm } from "./_components/delegation-form";
import { DelegationsTable } from "./_components/delegations-table";
import { NewTeamForm } from "./_components/new-team-form";
import { TeamMembers } from "./_components/team-members";

export const metadata: Metadata = { title: "Delegations" };

export default async function DelegationsPage() {
  const { ctx, session } = await requirePageContext("customers:read_all");
  const mayManage = can(session.member.role, "delegations:manage");
  const [delegations, levels, customers, members, teams] = await Promise.all([
    listDelegations(ctx),
    listAccessLevels(ctx),
    listCustomers(ctx),
    listMembers(ctx),
    listTeams(ctx),
  ]);
  const levelNames = new Map(levels.map((l) => [l.id, l.name]));
  const memberNames = new Map(members.map((m) => [m.id, m.displayName]));
  const activeMembers = members.filter((m) => m.status === "active");
  return (
    <>
      <PageHeader title="Delegations" description="Who may request which access levels on which customers, and for how long at most." />
      <div className="grid grid-cols-1 gap-6">
        {mayManage ? (
          <Card>
            <CardHeader>
              <CardTitle>Delegate access</CardTitle>
              <CardDescription>On one customer, only the access levels enabled there can be delegated.</CardDescription>
            </CardHeader>
            <CardContent>
              <DelegationForm
                members={activeMembers.map((m) => ({ id: m.id, name: m.displayName, detail: roleLabels[m.role] }))}
                teams={teams.map((t) => ({ id: t.id, name: t.name }))}
                scope={{ customers: customers.map((c) => ({ id: c.id, name: c.name, isSandbox: c.isSandbox })) }}
                accessLevels={levels.map((l) => ({ id: l.id, name: l.name, customerIds: l.customerIds, includesGlobalAdmin: l.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) }))}
                defaultMaxDurationMinutes={240}
              />
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>All delegations</CardTitle>
          </CardHeader>
          <DelegationsTable
            delegations={delegations}
            levelNames={levelNames}
            sandboxCustomerIds={new Set(customers.filter((c) => c.isSandbox).map((c) => c.id))}
            mayManage={mayManage}
            emptyText="Nothing is delegated yet."
          />
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Teams</CardTitle>
            <CardDescription>Delegate to a team once; members who join or leave gain or lose its access at once.</CardDescription>
          </CardHeader>
          {mayManage ? (
            <CardContent>
              <NewTeamForm />
            </CardContent>
          ) : null}
          <Table data-testid="teams-table">
            <THead>
              <TR>
                <TH>Team</TH>
                <TH>Members</TH>
                <TH>Delegations</TH>
                {mayManage ? <TH className="text-right">Actions</TH> : null}
              </TR>
            </THead>
            <TBody>
              {teams.length === 0 ? (
                <TR>
                  <TD colSpan={mayManage ? 4 : 3} className="py-8 text-center text-muted-foreground">No teams yet.</TD>
                </TR>
              ) : null}
              {teams.map((t) => (
                <TR key={t.id} data-testid={`team-${t.name}`}>
                  <TD className="font-medium">{t.name}</TD>
                  <TD>
                    <TeamMembers
                      teamId={t.id}
                      teamName={t.name}
                      members={t.memberIds.map((id) => ({ id, name: memberNames.get(id) ?? id }))}
                      candidates={activeMembers.filter((m) => !t.memberIds.includes(m.id)).map((m) => ({ id: m.id, name: m.displayName }))}
                      mayManage={mayManage}
                    />
                  </TD>
                  <TD>{delegations.filter((d) => d.teamId === t.id).length}</TD>
                  {mayManage ? (
                    <TD className="text-right">
                      <ApiActionButton operation="removeTeam" input={{ params: { teamId: t.id } }} label="Delete" confirm={`Delete the team ${t.name}? Its delegations are removed with it.`} />
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      </div>
    </>
  );
}
