import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { listMyRequestable } from "@/lib/services/delegations/list-my-requestable";
import { formatSpan } from "@/lib/time/durations";

type Requestable = Awaited<ReturnType<typeof listMyRequestable>>;

/** The customers and access levels the member may ask for, each a link to the request form for that customer. */
export function RequestableCard({ customers }: { customers: Requestable }) {
  return (
    <Card data-testid="overview-requestable">
      <CardHeader>
        <CardTitle>What you may request</CardTitle>
        <CardDescription>
          {customers.length === 0 ? "Nothing is delegated to you yet: an owner or admin delegates access levels on customers to you." : "Access levels delegated to you, and for how long at most."}
        </CardDescription>
      </CardHeader>
      {customers.length > 0 ? (
        <CardContent>
          <ul className="grid gap-2 text-sm">
            {customers.map((c) => (
              <li key={c.id} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 border-b border-border pb-2 last:border-0">
                <Link href={`/access/request?customerId=${c.id}`} className="font-medium text-primary hover:underline max-md:min-h-11">
                  {c.name}
                  {c.isSandbox ? " (sandbox)" : ""}
                </Link>
                <span className="text-xs text-muted-foreground">{c.accessLevels.map((l) => `${l.name} (up to ${formatSpan(l.maxDurationMinutes * 60_000)})`).join(", ")}</span>
              </li>
            ))}
          </ul>
        </CardContent>
      ) : null}
    </Card>
  );
}
