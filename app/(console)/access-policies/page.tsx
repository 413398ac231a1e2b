import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageContext } from "@/lib/http/page-context";
import { listAccessHooks } from "@/lib/services/hooks/list";
import { listAccessLevels } from "@/lib/services/access-levels/list";
import { listCustomers } from "@/lib/services/customers/list";
import { listMembers } from "@/lib/services/members/list";
import { listAccessPolicies } from "@/lib/services/policies/list";
import { listPsaConnections } from "@/lib/services/psa/list";
import { listTeams } from "@/lib/services/teams/list";
import { PolicyForm, type Choices } from "./_components/policy-form";
import { PolicyRow } from "./_components/policy-row";

export const metadata: Metadata = { title: "Access policies" };

export default async function AccessPoliciesPage() {
  const { ctx } = await requirePageContext("access_policies:manage");
  const [policies, customers, levels, members, teams, psa] = await Promise.all([
    listAccessPolicies(ctx),
    listCustomers(ctx),
    listAccessLevels(ctx),
    listMembers(ctx),
    listTeams(ctx),
    listPsaConnections(ctx),
  ]);
  const hooks = await Promise.all(policies.map((p) => listAccessHooks(ctx, p.id)));
  const psaConnections = psa.map((c) => ({ id: c.id, name: c.name }));
  const choices: Choices = {
    customers: customers.map((c) => ({ id: c.id, name: c.name })),
    levels: levels.map((l) => ({ id: l.id, name: `${l.name}${l.privileged ? " (privileged)" : ""}` })),
    members: members.filter((m) => m.role !== "auditor" && m.status === "active").map((m) => ({ id: m.id, name: m.displayName })),
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
  };
  return (
    <>
      <PageHeader
        title="Access policies"
        description="Under which conditions a delegated request is granted: approval, ticket, justification, passkey, hours, duration and terms, and which hooks (signed webhooks, PSA ticket checks) are asked. The most specific policy wins; without any, a delegation is enough."
      />
      <div className="grid grid-cols-1 gap-6">
        <div className="grid grid-cols-1 gap-4" data-testid="policies">
          {policies.map((p, i) => (
            <PolicyRow key={p.id} policy={p} choices={choices} hooks={hooks[i]!} psaConnections={psaConnections} />
          ))}
        </div>
        <Card>
          <CardHeader>
            <CardTitle>New access policy</CardTitle>
            <CardDescription>Leave customer and access level empty for the MSP&apos;s default policy.</CardDescription>
          </CardHeader>
          <CardContent>
            <PolicyForm choices={choices} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
