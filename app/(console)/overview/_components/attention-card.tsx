import Link from "next/link";
import type { ReactNode } from "react";
import { Time } from "@/components/time/time";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { listAttention } from "@/lib/services/overview/list-attention";

type Attention = Awaited<ReturnType<typeof listAttention>>;

function Item({ href, title, detail }: { href: string; title: string; detail: ReactNode }) {
  return (
    <li className="grid gap-0.5 border-b border-border py-2 last:border-0">
      <Link href={href} className="font-medium text-primary hover:underline">{title}</Link>
      <span className="text-xs text-muted-foreground">{detail}</span>
    </li>
  );
}

/** What needs a person first, each item linking to where it is dealt with; absent when nothing does. */
export function AttentionCard({ attention }: { attention: Attention }) {
  const { troubledGrants, unhealthyConnections, orphans } = attention;
  if (troubledGrants.length + unhealthyConnections.length + orphans.length === 0) return null;
  return (
    <Card className="border-destructive/40" data-testid="overview-attention">
      <CardHeader>
        <CardTitle className="text-destructive">Needs action</CardTitle>
        <CardDescription>Access Stint could not prove gone, grants that failed, customers it cannot reach, and accounts found without a grant.</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="text-sm">
          {troubledGrants.map((g) => (
            <Item
              key={g.id}
              href={`/grants/${g.id}`}
              title={`${g.state === "irrevocable" ? "Could not revoke" : "Failed"}: ${g.memberName} on ${g.customerName}`}
              detail={<>{g.failureReason ?? (g.state === "irrevocable" ? "Removal keeps failing; Stint retries." : "Provisioning failed.")} · <Time at={g.updatedAt} style="short" /></>}
            />
          ))}
          {unhealthyConnections.map((c) => (
            <Item
              key={c.customerId}
              href={`/customers/${c.customerId}`}
              title={`Connection unhealthy: ${c.customerName}`}
              detail={<>{c.healthDetail ?? "The health check fails."}{c.unhealthySince ? <> · since <Time at={c.unhealthySince} style="short" /></> : null}</>}
            />
          ))}
          {orphans.map((o) => (
            <Item
              key={o.id}
              href="/grants#orphan-accounts"
              title={`Orphaned account: ${o.userPrincipalName} (${o.customerName})`}
              detail={<>{o.disabledAt ? "Disabled" : "Still enabled"} · found <Time at={o.foundAt} style="short" /></>}
            />
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
