import { and, eq, sql } from "drizzle-orm";
import { entraConnections } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { enqueue } from "@/lib/queue/producer";

/** The shortest and longest wait between two checks of a broken connection. */
const RECHECK_MIN = "5 seconds";
const RECHECK_MAX = "15 minutes";

/**
 * Queues a check of every broken connection whose next look is due: soon after it broke, then less often the
 * longer it stays broken (a tenth of that time, 5 s to 15 min). A restored consent is noticed within seconds,
 * so the grants whose access could not be taken away meanwhile are retried at once (checkConnections); a
 * tenant left broken for days is not polled for nothing. One job per connection and previous check.
 */
export async function recheckUnhealthyConnections(): Promise<number> {
  // The sweeper looks at the connections of every MSP.
  const due = await systemTxBypassingRls((tx) =>
    tx
      .select({ mspId: entraConnections.mspId, customerId: entraConnections.customerId, checkedAt: entraConnections.healthCheckedAt })
      .from(entraConnections)
      .where(
        and(
          eq(entraConnections.status, "connected"),
          eq(entraConnections.healthOk, false),
          sql`${entraConnections.healthCheckedAt} < now() - greatest(interval '${sql.raw(RECHECK_MIN)}', least(interval '${sql.raw(RECHECK_MAX)}', (now() - coalesce(${entraConnections.unhealthySince}, ${entraConnections.healthCheckedAt})) / 10))`,
        ),
      ),
  );
  await Promise.all(
    due.map((c) => enqueue("connection.check", { mspId: c.mspId, customerId: c.customerId }, { jobId: `connection-recheck-${c.customerId}-${c.checkedAt!.getTime()}` })),
  );
  return due.length;
}
