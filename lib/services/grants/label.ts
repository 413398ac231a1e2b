import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, customers, grants, members } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";

/**
 * A grant's access levels as [{ id, name }] in the grant's order, computed in the grant's own row of a
 * query (a correlated subquery): a list of grants gets its names in the same single round trip.
 */
export const grantAccessLevels = sql<{ id: string; name: string }[]>`coalesce((
  select json_agg(json_build_object('id', ${accessLevels.id}, 'name', ${accessLevels.name}) order by array_position(${grants.accessLevelIds}, ${accessLevels.id}))
  from ${accessLevels}
  where ${accessLevels.mspId} = ${grants.mspId} and ${accessLevels.id} = any(${grants.accessLevelIds})
), '[]'::json)`;

/**
 * What the API shows with a grant besides its own columns: the customer's name (and whether it is the sandbox),
 * the technician's name and e-mail address, and the access levels' names.
 */
export async function grantLabelsIn(tx: Tx, mspId: string, grantId: string) {
  const [row] = await tx
    .select({ customerName: customers.name, isSandbox: customers.isSandbox, memberName: members.displayName, memberEmail: members.email, accessLevels: grantAccessLevels })
    .from(grants)
    .innerJoin(customers, and(eq(customers.id, grants.customerId), eq(customers.mspId, grants.mspId)))
    .innerJoin(members, and(eq(members.id, grants.memberId), eq(members.mspId, grants.mspId)))
    .where(and(eq(grants.id, grantId), eq(grants.mspId, mspId)));
  if (!row) throw notFound("Grant");
  return row;
}

/**
 * A grant the caller has just acted on (request, extend, end) with its customer's and access levels'
 * names, for the API's Grant shape. The service that acted has already decided the caller may see it.
 */
export async function labelGrant<G extends { id: string }>(ctx: ServiceContext, grant: G) {
  const labels = await withMspTx(ctx.mspId, (tx) => grantLabelsIn(tx, ctx.mspId, grant.id));
  return { ...grant, ...labels };
}
