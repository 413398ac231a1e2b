import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requirePageContext } from "@/lib/http/page-context";
import { listCustomers } from "@/lib/services/customers/list";
import { listMyRequestable } from "@/lib/services/delegations/list-my-requestable";
import { listMyGrants } from "@/lib/services/grants/list";
import { listDelegators } from "@/lib/services/members/list-delegators";
import { NothingToRequest } from "./_components/nothing-to-request";
import { RequestForm } from "./_components/request-form";

export const metadata: Metadata = { title: "Request access" };

export default async function RequestAccessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, session } = await requirePageContext();
  const [customers, requestable, delegators, live, query] = await Promise.all([
    listCustomers(ctx),
    listMyRequestable(ctx),
    listDelegators(ctx),
    listMyGrants(ctx, { scope: "live" }),
    searchParams,
  ]);
  const preselected = typeof query.customerId === "string" && customers.some((c) => c.id === query.customerId) ? query.customerId : "";
  return (
    <>
      <Link href="/access" className="inline-flex items-center text-sm text-muted-foreground hover:text-foreground max-md:min-h-11">
        ← My access
      </Link>
      <PageHeader title="Request access" description="A just-in-time admin account in the customer's tenant, with the roles of the access levels you choose, for as long as you need it." />
      <Card className="max-w-3xl">
        <CardContent className="pt-5">
          {requestable.length === 0 ? (
            <NothingToRequest delegators={delegators} mayDelegate={can(session.member.role, "delegations:manage")} />
          ) : (
            <RequestForm
              customers={customers.map((c) => ({ id: c.id, name: c.name, isSandbox: c.isSandbox, connected: c.connection?.status === "connected" }))}
              liveGrants={live.map((g) => ({ id: g.id, customerId: g.customerId }))}
              initialCustomerId={preselected}
              delegators={delegators}
            />
          )}
        </CardContent>
      </Card>
    </>
  );
}
