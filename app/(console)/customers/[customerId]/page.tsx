import type { Metadata } from "next";
import { FileText } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can, roleLabels } from "@/lib/auth/permissions";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { AppError } from "@/lib/errors";
import { requirePageContext } from "@/lib/http/page-context";
import { listAccessLevels } from "@/lib/services/access-levels/list";
import { listRoleCatalog } from "@/lib/services/access-levels/list-catalog";
import type { ServiceContext } from "@/lib/services/context";
import { getCustomer } from "@/lib/services/customers/get";
import { listDelegations } from "@/lib/services/delegations/list";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";
import { listMembers } from "@/lib/services/members/list";
import { listTeams } from "@/lib/services/teams/list";
import { DelegationForm } from "../../delegations/_components/delegation-form";
import { DelegationsTable } from "../../delegations/_components/delegations-table";
import { ConnectionStatusBadge } from "../_components/connection-status";
import { SandboxBadge } from "../_components/sandbox-badge";
import { AccessLevelsCard } from "./_components/access-levels-card";
import { ArchiveCustomerButton } from "./_components/archive-customer-button";
import { ConnectionCard } from "./_components/connection-card";
import { MyAccessCard } from "./_components/my-access-card";
import { RenameCustomer } from "./_components/rename-customer";
import { roleNamer } from "@/lib/entra/role-names";
import { SettingsForm } from "./_components/settings-form";
import { SignInCard } from "./_components/sign-in-card";
import { signInReadiness } from "@/lib/services/customers/sign-in-readiness";
import { canConnect } from "@/lib/entra/clouds";
import { timeZoneChoices } from "@/lib/time-zones";

export const metadata: Metadata = { title: "Customer" };

type PageProps = { params: Promise<{ customerId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A customer the member cannot see is answered like one that does not exist. */
async function loadOrNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

export default async function CustomerPage({ params, searchParams }: PageProps) {
  const { ctx, session } = await requirePageContext();
  const { customerId } = await params;
  if (!can(session.member.role, "customers:read_all")) return <DelegatedCustomerView ctx={ctx} customerId={customerId} />;
  const query = await searchParams;
  return (
    <CustomerAdminView
      ctx={ctx}
      customerId={customerId}
      role={session.member.role}
      connectedNow={query.connected === "1"}
      consentError={typeof query.consent_error === "string" ? query.consent_error : null}
    />
  );
}

function CustomerTitle({ name, isSandbox, archived, actions }: { name: string; isSandbox: boolean; archived: boolean; actions?: ReactNode }) {
  return (
    <>
      <Link href="/customers" className="inline-flex items-center text-sm text-muted-foreground hover:text-foreground max-md:min-h-11">
        ← Customers
      </Link>
      <PageHeader title={name} actions={actions} />
      {isSandbox || archived ? (
        <div className="-mt-4 mb-6 flex gap-2">
          {isSandbox ? <SandboxBadge /> : null}
          {archived ? <Badge variant="muted">Archived</Badge> : null}
        </div>
      ) : null}
    </>
  );
}

/** A technician sees the customer, whether it is connected, and what they may request there: nothing of others. */
async function DelegatedCustomerView({ ctx, customerId }: { ctx: ServiceContext; customerId: string }) {
  const [{ customer, connection }, myAccess] = await loadOrNotFound(Promise.all([getCustomer(ctx, customerId), getMyAccessOnCustomer(ctx, customerId)]));
  const connected = connection?.status === "connected";
  return (
    <>
      <CustomerTitle name={customer.name} isSandbox={customer.isSandbox} archived={false} />
      <div className="grid grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <div className="flex items-center gap-2">
              <CardTitle>Entra ID connection</CardTitle>
              <ConnectionStatusBadge connection={connection} />
            </div>
            <CardDescription>{connected ? "Access you request here is created in the customer's tenant." : "Requests here cannot be fulfilled until an admin connects the customer's Entra ID."}</CardDescription>
          </CardHeader>
        </Card>
        <MyAccessCard levels={myAccess.accessLevels.toSorted((a, b) => a.name.localeCompare(b.name))} roleName={roleNamer(connection?.roleDefinitions ?? [])} />
      </div>
    </>
  );
}

type AdminViewProps = { ctx: ServiceContext; customerId: string; role: MemberRole; connectedNow: boolean; consentError: string | null };

async function CustomerAdminView({ ctx, customerId, role, connectedNow, consentError }: AdminViewProps) {
  const mayManage = can(role, "customers:manage");
  const mayDelegate = can(role, "delegations:manage");
  const { customer, connection } = await loadOrNotFound(getCustomer(ctx, customerId));
  const [levels, delegations, members, teams, knownRoles] = await Promise.all([
    listAccessLevels(ctx),
    listDelegations(ctx),
    mayDelegate ? listMembers(ctx) : [],
    mayDelegate ? listTeams(ctx) : [],
    can(role, "access_levels:manage") ? listRoleCatalog(ctx) : (connection?.roleDefinitions ?? []),
  ]);
  const archived = customer.status === "archived";
  const connected = connection?.status === "connected";
  const levelNames = new Map(levels.map((l) => [l.id, l.name]));
  return (
    <>
      <CustomerTitle
        name={customer.name}
        isSandbox={customer.isSandbox}
        archived={archived}
        actions={
          <div className="flex flex-wrap items-start gap-2">
            {can(role, "grants:read_all") ? (
              <Link href={`/customers/${customer.id}/statement`} className={buttonVariants({ variant: "outline", size: "sm" })} data-testid="customer-statement">
                <FileText className="size-4" aria-hidden="true" />
                Monthly statement
              </Link>
            ) : null}
            {mayManage ? (
              <>
                <RenameCustomer customerId={customer.id} name={customer.name} />
                <ArchiveCustomerButton customerId={customer.id} name={customer.name} archived={archived} />
              </>
            ) : null}
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        {connectedNow ? <Alert variant="success" data-testid="connected-banner">Entra ID connected{connection ? ` to ${connection.tenantName}` : ""}.</Alert> : null}
        {consentError ? <Alert variant="error" data-testid="consent-error">The connection did not complete: {consentError}</Alert> : null}
        <ConnectionCard customer={{ id: customer.id, name: customer.name, archived }} connection={connection} mayManage={mayManage} connectable={canConnect(customer.isSandbox)} />
        {connected ? <SignInCard readiness={signInReadiness(customer, connection)!} policy={connection.tapPolicy} policyReadAt={connection.tapPolicyReadAt} /> : null}
        <Card>
          <CardHeader>
            <CardTitle>JIT account settings</CardTitle>
            <CardDescription>How Stint creates, limits and ends the accounts it makes in this tenant.</CardDescription>
          </CardHeader>
          <CardContent>
            <SettingsForm
              customerId={customer.id}
              readOnly={!mayManage}
              verifiedDomains={connected ? connection.verifiedDomains : null}
              timeZones={timeZoneChoices(customer.timeZone)}
              settings={{
                upnDomain: customer.upnDomain,
                namingTemplate: customer.namingTemplate,
                defaultDurationMinutes: customer.defaultDurationMinutes,
                maxDurationMinutes: customer.maxDurationMinutes,
                usageLocation: customer.usageLocation,
                signInMethod: customer.signInMethod,
                expiryActions: customer.expiryActions,
                consentText: customer.consentText,
                timeZone: customer.timeZone,
              }}
            />
          </CardContent>
        </Card>
        <AccessLevelsCard customerId={customer.id} levels={levels} roleName={roleNamer(knownRoles)} mayToggle={can(role, "access_levels:manage")} />
        <Card>
          <CardHeader>
            <CardTitle>Delegations</CardTitle>
            <CardDescription>Who may request access here: delegations on this customer and on all customers.</CardDescription>
          </CardHeader>
          <DelegationsTable
            delegations={delegations.filter((d) => d.customerId === customer.id || d.customerId === null)}
            levelNames={levelNames}
            sandboxCustomerIds={new Set(customer.isSandbox ? [customer.id] : [])}
            mayManage={mayDelegate}
            emptyText="Nobody may request access here yet."
          />
          {mayDelegate && !archived ? (
            <CardContent className="grid gap-3 border-t border-border pt-5">
              <h3 className="text-sm font-semibold">Delegate access here</h3>
              <DelegationForm
                members={members.filter((m) => m.status === "active").map((m) => ({ id: m.id, name: m.displayName, detail: roleLabels[m.role] }))}
                teams={teams.map((t) => ({ id: t.id, name: t.name }))}
                scope={{ customerId: customer.id }}
                accessLevels={levels.map((l) => ({ id: l.id, name: l.name, customerIds: l.customerIds, includesGlobalAdmin: l.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) }))}
                defaultMaxDurationMinutes={customer.maxDurationMinutes}
              />
            </CardContent>
          ) : null}
        </Card>
      </div>
    </>
  );
}
