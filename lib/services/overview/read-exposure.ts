import { sql, type SQL } from "drizzle-orm";
import { withMspTx } from "@/db/tx";
import { liveStates } from "@/lib/grants/states";
import { requirePermission, type ServiceContext } from "@/lib/services/context";

export const EXPOSURE_DAYS = 30;

export type Exposure = {
  from: Date;
  to: Date;
  totalHours: number;
  byCustomer: { customerId: string; customerName: string; hours: number; grants: number }[];
  byTechnician: { memberId: string; memberName: string; hours: number; grants: number }[];
  /** One row per day of the time zone asked for, oldest first, including days without any grant. */
  perDay: { day: string; grants: number; hours: number }[];
};

const liveList = sql.join(liveStates.map((s) => sql`${s}`), sql`, `);

/**
 * Hours of live admin access over the last days, from when each JIT account was usable (usable_from) to
 * when its removal was verified in Graph (usable_to), or now while it is still live: per customer, per
 * technician and per day of the reader's time zone (UTC unless given), each span cut to the window. Grants per day count the accounts that became
 * usable that day. Aggregated in Postgres, so the answer costs one round trip whatever the number of grants.
 */
export async function readExposure(ctx: ServiceContext, options: { now?: Date; days?: number; timeZone?: string } = {}): Promise<Exposure> {
  requirePermission(ctx, "grants:read_all");
  const to = options.now ?? new Date();
  const days = options.days ?? EXPOSURE_DAYS;
  const from = new Date(to.getTime() - days * 86_400_000);
  const [fromAt, toAt] = [from.toISOString(), to.toISOString()];
  const zone = options.timeZone ?? "UTC";
  const spans = sql`
    select g.customer_id, g.member_id, g.usable_from,
           greatest(g.usable_from, ${fromAt}::timestamptz) as s,
           least(coalesce(g.usable_to, case when g.state in (${liveList}) then ${toAt}::timestamptz else g.updated_at end), ${toAt}::timestamptz) as e
    from grants g
    where g.msp_id = ${ctx.mspId} and g.usable_from is not null and g.usable_from < ${toAt}::timestamptz
      and coalesce(g.usable_to, case when g.state in (${liveList}) then ${toAt}::timestamptz else g.updated_at end) > ${fromAt}::timestamptz`;
  // Days without a span have null ends, which least() and greatest() would skip: they are left out of the sum.
  const hours = (start: SQL, end: SQL) => sql`coalesce(sum(greatest(extract(epoch from (${end} - ${start})), 0)) filter (where sp.s is not null) / 3600.0, 0)::float8`;
  return withMspTx(ctx.mspId, async (tx) => {
    const byCustomer = await tx.execute<{ customer_id: string; customer_name: string; hours: number; grants: number }>(sql`
      with spans as (${spans})
      select c.id as customer_id, c.name as customer_name, ${hours(sql`sp.s`, sql`sp.e`)} as hours, count(*)::int as grants
      from spans sp join customers c on c.id = sp.customer_id and c.msp_id = ${ctx.mspId}
      group by c.id, c.name order by hours desc, c.name`);
    const byTechnician = await tx.execute<{ member_id: string; member_name: string; hours: number; grants: number }>(sql`
      with spans as (${spans})
      select m.id as member_id, m.display_name as member_name, ${hours(sql`sp.s`, sql`sp.e`)} as hours, count(*)::int as grants
      from spans sp join members m on m.id = sp.member_id and m.msp_id = ${ctx.mspId}
      group by m.id, m.display_name order by hours desc, m.display_name`);
    // Day d covers its midnight to the next on the zone's wall clock (23 or 25 hours when the clocks change);
    // the first and last days are cut to the window.
    const perDay = await tx.execute<{ day: string; grants: number; hours: number }>(sql`
      with spans as (${spans}),
      days as (
        select d::date as day,
               greatest(d at time zone ${zone}, ${fromAt}::timestamptz) as ds,
               least((d + interval '1 day') at time zone ${zone}, ${toAt}::timestamptz) as de
        from generate_series((${fromAt}::timestamptz at time zone ${zone})::date::timestamp,
                             (${toAt}::timestamptz at time zone ${zone})::date::timestamp, interval '1 day') as d
      )
      select to_char(days.day, 'YYYY-MM-DD') as day,
             count(sp.*) filter (where sp.usable_from >= days.ds and sp.usable_from < days.de)::int as grants,
             ${hours(sql`greatest(sp.s, days.ds)`, sql`least(sp.e, days.de)`)} as hours
      from days left join spans sp on sp.s < days.de and sp.e > days.ds
      group by days.day order by days.day`);
    const round = (n: number) => Math.round(Number(n) * 100) / 100;
    return {
      from,
      to,
      totalHours: round(byCustomer.reduce((sum, r) => sum + Number(r.hours), 0)),
      byCustomer: byCustomer.map((r) => ({ customerId: r.customer_id, customerName: r.customer_name, hours: round(r.hours), grants: r.grants })),
      byTechnician: byTechnician.map((r) => ({ memberId: r.member_id, memberName: r.member_name, hours: round(r.hours), grants: r.grants })),
      perDay: perDay.map((r) => ({ day: r.day, grants: r.grants, hours: round(r.hours) })),
    };
  });
}
