import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { sandboxAvailable } from "@/lib/entra/sandbox";
import { requirePageContext } from "@/lib/http/page-context";
import { customerFilterInput, listCustomers } from "@/lib/services/customers/list";
import { SearchForm } from "@/components/console/search-form";
import { AddSandboxButton } from "./_components/add-sandbox-button";
import { ConnectionHealth, ConnectionStatusBadge } from "./_components/connection-status";
import { NewCustomerForm } from "./_components/new-customer-form";
import { SandboxBadge } from "./_components/sandbox-badge";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, session } = await requirePageContext();
  const role = session.member.role;
  const seesAll = can(role, "customers:read_all");
  const mayManage = can(role, "customers:manage");
  const params = await searchParams;
  const showArchived = seesAll && params.archived === "1";
  const filter = customerFilterInput.safeParse({ includeArchived: showArchived, q: typeof params.q === "string" && params.q.trim() ? params.q : undefined });
  const q = filter.success ? filter.data.q : undefined;
  const customers = await listCustomers(ctx, filter.success ? filter.data : { includeArchived: showArchived });
  // The toggle keeps the search.
  const archivedToggle = new URLSearchParams({ ...(showArchived ? {} : { archived: "1" }), ...(q ? { q } : {}) });
  return (
    <>
      <PageHeader
        title="Customers"
        description={seesAll ? "Client companies of your MSP and their Entra ID tenants." : "Customers delegated to you, directly or through a team."}
        actions={
          seesAll ? (
            <div className="flex flex-wrap items-start gap-2">
              <Link href={archivedToggle.size > 0 ? `/customers?${archivedToggle}` : "/customers"} className={buttonVariants({ variant: "outline" })} data-testid="archived-toggle">
                {showArchived ? "Hide archived" : "Show archived"}
              </Link>
              {/* One sandbox is enough to try Stint; the button goes once it exists (a search may hide it, so not then). */}
              {mayManage && sandboxAvailable() && !q && !customers.some((c) => c.isSandbox) ? <AddSandboxButton /> : null}
            </div>
          ) : null
        }
      />
      <div className="grid grid-cols-1 gap-6">
        {mayManage ? (
          <Card>
            <CardHeader>
              <CardTitle>New customer</CardTitle>
              <CardDescription>Then connect its Entra ID tenant and choose the access levels technicians may request there.</CardDescription>
            </CardHeader>
            <CardContent>
              <NewCustomerForm />
            </CardContent>
          </Card>
        ) : null}
        <div className="grid gap-3">
          <SearchForm
            action="/customers"
            q={q}
            label="Search customers"
            placeholder="Name, UPN domain, tenant name or ID"
            keep={showArchived ? { archived: "1" } : {}}
            testId="customers-search"
          />
          <Card>
            <Table data-testid="customers-table">
              <THead>
                <TR>
                  <TH>Customer</TH>
                  <TH>Entra ID</TH>
                  {seesAll ? <TH className="whitespace-nowrap">Access levels</TH> : null}
                  {seesAll ? <TH>Delegations</TH> : null}
                </TR>
              </THead>
              <TBody>
                {customers.length === 0 ? (
                  <TR>
                    <TD colSpan={seesAll ? 4 : 2} className="py-8 text-center text-muted-foreground">
                      {q ? `No customer matches “${q}”.` : seesAll ? "No customers yet." : "No customer has been delegated to you yet."}
                    </TD>
                  </TR>
                ) : null}
                {customers.map((c) => (
                  <TR key={c.id} data-testid={`customer-${c.name}`}>
                    <TD>
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={`/customers/${c.id}`} className="font-medium text-primary hover:underline">
                          {c.name}
                        </Link>
                        {c.isSandbox ? <SandboxBadge /> : null}
                        {c.status === "archived" ? <Badge variant="muted">Archived</Badge> : null}
                      </div>
                    </TD>
                    <TD>
                      <div className="grid gap-1">
                        <div className="flex items-center gap-2">
                          <ConnectionStatusBadge connection={c.connection} />
                          {c.connection?.status === "connected" ? <span className="text-xs text-muted-foreground">{c.connection.tenantName}</span> : null}
                        </div>
                        {c.connection?.status === "connected" ? <ConnectionHealth connection={c.connection} /> : null}
                      </div>
                    </TD>
                    {seesAll ? <TD>{c.accessLevelCount}</TD> : null}
                    {seesAll ? <TD>{c.delegationCount}</TD> : null}
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
        </div>
      </div>
    </>
  );
}
