import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { AppError } from "@/lib/errors";
import { requirePageContext } from "@/lib/http/page-context";
import type { ServiceContext } from "@/lib/services/context";
import { getCustomer } from "@/lib/services/customers/get";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";
import { listMyGrants } from "@/lib/services/grants/list";
import { roleNamer } from "@/lib/entra/role-names";
import { HistoryTable } from "./_components/history-table";
import { LiveGrantCard } from "./_components/live-grant-card";

export const metadata: Metadata = { title: "My access" };

/** A grant that failed or was denied within this window stays on top as a card, so the technician sees why. */
const RECENT_FAILURE_MS = 24 * 3600_000;

type Namers = { levelName: (id: string) => string; roleName: (templateId: string) => string };

/** Names for a grant's access levels and roles, from what the technician can see of its customer today. */
async function namersFor(ctx: ServiceContext, customerId: string): Promise<Namers> {
  try {
    const [{ accessLevels }, { connection }] = await Promise.all([getMyAccessOnCustomer(ctx, customerId), getCustomer(ctx, customerId)]);
    const levels = new Map(accessLevels.map((l) => [l.accessLevelId, l.name]));
    return { levelName: (id) => levels.get(id) ?? id, roleName: roleNamer(connection?.roleDefinitions ?? []) };
  } catch (err) {
    if (!(err instanceof AppError && err.code === "not_found")) throw err;
    return { levelName: (id) => id, roleName: roleNamer([]) };
  }
}

function endedAt(g: { usableTo: Date | null; endsAt: Date | null; createdAt: Date }): number {
  return (g.usableTo ?? g.endsAt ?? g.createdAt).getTime();
}

export default async function MyAccessPage() {
  const { ctx } = await requirePageContext();
  const [live, past] = await Promise.all([listMyGrants(ctx, { scope: "live" }), listMyGrants(ctx, { scope: "history" })]);
  const isRecentFailure = (g: (typeof past)[number]) => (g.state === "failed" || g.state === "denied") && Date.now() - g.createdAt.getTime() < RECENT_FAILURE_MS;
  const cards = [...live, ...past.filter(isRecentFailure)];
  const history = past.filter((g) => !isRecentFailure(g)).toSorted((a, b) => endedAt(b) - endedAt(a));
  const customerIds = [...new Set(cards.map((g) => g.customerId))];
  const namers = new Map(await Promise.all(customerIds.map(async (id) => [id, await namersFor(ctx, id)] as const)));
  return (
    <>
      <PageHeader
        title="My access"
        description="Your just-in-time admin accounts in customers' tenants: live while you work, gone when you are done."
        actions={
          <Link href="/access/request" className={buttonVariants()} data-testid="request-access">
            Request access
          </Link>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        {cards.length === 0 ? (
          <Card>
            <CardHeader>
              <CardTitle>No access right now</CardTitle>
              <CardDescription>Request access to a customer when you need it; the account is made in a few seconds and taken away when the time is up.</CardDescription>
            </CardHeader>
          </Card>
        ) : (
          <div className="grid grid-cols-1 gap-4" data-testid="live-grants">
            {cards.map((g) => {
              const { levelName, roleName } = namers.get(g.customerId)!;
              return <LiveGrantCard key={g.id} grant={g} accessLevelNames={g.accessLevelIds.map(levelName)} roleNames={g.roleTemplateIds.map(roleName)} />;
            })}
          </div>
        )}
        <Card>
          <CardHeader>
            <CardTitle>History</CardTitle>
            <CardDescription>Grants that have ended, were revoked or could not be provisioned.</CardDescription>
          </CardHeader>
          <HistoryTable grants={history} />
        </Card>
      </div>
    </>
  );
}
