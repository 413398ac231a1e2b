import { sql } from "drizzle-orm";
import { withMspTx } from "@/db/tx";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export const firstRunSteps = ["customer", "connection", "accessLevel", "enabled", "delegation", "invite", "request"] as const;
export type FirstRunStep = (typeof firstRunSteps)[number];

export type FirstRun = {
  done: Record<FirstRunStep, boolean>;
  /** The customer the next customer-level step is taken on: the first one still without a connection, then without a level. */
  customerToConnect: string | null;
  customerToEnable: string | null;
};

/**
 * How far the MSP has come in setting Stint up, read from what exists (never from a flag someone sets):
 * a customer, a connected Entra tenant, an access level, one enabled on a customer, a delegation, a second
 * member or an invite, and a first grant. One statement.
 */
export async function readFirstRun(ctx: ServiceContext): Promise<FirstRun> {
  requirePermission(ctx, "customers:manage");
  const msp = ctx.mspId;
  return withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx.execute<{
      customer: boolean; connection: boolean; access_level: boolean; enabled: boolean; delegation: boolean; invite: boolean; request: boolean;
      customer_to_connect: string | null; customer_to_enable: string | null;
    }>(sql`
      select
        exists (select 1 from customers where msp_id = ${msp}) as customer,
        exists (select 1 from entra_connections where msp_id = ${msp} and status = 'connected') as connection,
        exists (select 1 from access_levels where msp_id = ${msp} and archived_at is null) as access_level,
        exists (select 1 from customer_access_levels where msp_id = ${msp}) as enabled,
        exists (select 1 from delegations where msp_id = ${msp}) as delegation,
        (exists (select 1 from invites where msp_id = ${msp}) or (select count(*) from members where msp_id = ${msp}) > 1) as invite,
        exists (select 1 from grants where msp_id = ${msp}) as request,
        (select c.id from customers c where c.msp_id = ${msp} and c.status = 'active'
           and not exists (select 1 from entra_connections e where e.msp_id = ${msp} and e.customer_id = c.id and e.status = 'connected')
           order by c.created_at limit 1) as customer_to_connect,
        (select c.id from customers c where c.msp_id = ${msp} and c.status = 'active'
           and not exists (select 1 from customer_access_levels l where l.msp_id = ${msp} and l.customer_id = c.id)
           order by exists (select 1 from entra_connections e where e.msp_id = ${msp} and e.customer_id = c.id and e.status = 'connected') desc, c.created_at
           limit 1) as customer_to_enable`);
    const r = row!;
    return {
      done: { customer: r.customer, connection: r.connection, accessLevel: r.access_level, enabled: r.enabled, delegation: r.delegation, invite: r.invite, request: r.request },
      customerToConnect: r.customer_to_connect,
      customerToEnable: r.customer_to_enable,
    };
  });
}
