import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { DownloadLink } from "@/components/console/download-link";
import { operationUrl } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { finalStates, openStates } from "@/lib/grants/states";
import { requirePageContext } from "@/lib/http/page-context";
import { listRoleCatalog } from "@/lib/services/access-levels/list-catalog";
import { listCustomers } from "@/lib/services/customers/list";
import { grantFilterInput, listAllGrants } from "@/lib/services/grants/list";
import { listOrphanAccounts } from "@/lib/services/grants/list-orphans";
import { listMembers } from "@/lib/services/members/list";
import { cn } from "@/lib/utils";
import { roleNamer } from "@/lib/entra/role-names";
import { GrantFilters } from "./_components/grant-filters";
import { GrantsTable } from "./_components/grants-table";
import { KillSwitchCard } from "./_components/kill-switch-card";
import { OrphanAccountsCard } from "./_components/orphan-accounts-card";

export const metadata: Metadata = { title: "Grants" };

type Scope = "live" | "history";

function ScopeTabs({ scope }: { scope: Scope }) {
  const tab = (value: Scope, label: string) => (
    <Link
      href={`/grants?scope=${value}`}
      className={cn("rounded-md px-3 py-1.5 text-sm font-medium", scope === value ? "bg-background shadow-sm" : "text-muted-foreground hover:text-foreground")}
      aria-current={scope === value ? "page" : undefined}
    >
      {label}
    </Link>
  );
  return (
    <nav className="inline-flex gap-1 rounded-lg bg-muted p-1" aria-label="Grants">
      {tab("live", "Live")}
      {tab("history", "History")}
    </nav>
  );
}

export default async function GrantsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, session } = await requirePageContext("grants:read_all");
  const role = session.member.role;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const scope: Scope = raw.scope === "history" ? "history" : "live";
  const parsed = grantFilterInput.safeParse({ ...raw, scope });
  const [grants, customers, members, orphans, catalog] = await Promise.all([
    listAllGrants(ctx, parsed.success ? parsed.data : { scope }),
    listCustomers(ctx, { includeArchived: true }),
    listMembers(ctx),
    listOrphanAccounts(ctx),
    can(role, "access_levels:manage") ? listRoleCatalog(ctx) : [],
  ]);
  return (
    <>
      <PageHeader
        title="Grants"
        description="Who has admin access in which customer's tenant right now, and everything that came before."
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <ScopeTabs scope={scope} />
            {/* The rows this page shows with its filters, every one of them rather than the first page. */}
            <DownloadLink
              href={operationUrl(operations.exportGrants, {}, parsed.success ? { customerId: parsed.data.customerId, memberId: parsed.data.memberId, state: parsed.data.state, scope } : { scope })}
              label="Download CSV"
              testId="grants-export"
            />
          </div>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        <GrantFilters
          scope={scope}
          initial={raw}
          customers={customers.map((c) => ({ id: c.id, name: c.name }))}
          technicians={members.map((m) => ({ id: m.id, name: m.displayName }))}
          states={scope === "live" ? openStates : finalStates}
        />
        {!parsed.success ? <Alert variant="warning">Some filters were invalid and were ignored.</Alert> : null}
        <Card>
          <GrantsTable grants={grants} scope={scope} roleName={roleNamer(catalog)} mayRevoke={can(role, "grants:revoke")} />
        </Card>
        {can(role, "grants:kill_switch") ? <KillSwitchCard customers={customers.filter((c) => c.status === "active").map((c) => ({ id: c.id, name: c.name }))} /> : null}
        <OrphanAccountsCard accounts={orphans} />
      </div>
    </>
  );
}
