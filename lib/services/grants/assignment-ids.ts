import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";

type GrantKey = Pick<Grant, "id" | "mspId">;

/** A text[] literal of bound parameters (drizzle spreads a bare array into a row). */
function textArray(values: string[]): SQL {
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

/**
 * Adds role assignment ids to the grant's record of what it made, in the caller's transaction or one of its
 * own: clean-up removes them by id, since Graph's lists may not show a fresh assignment yet.
 */
export async function trackAssignments(grant: GrantKey, ids: string[], tx?: Tx): Promise<void> {
  if (ids.length === 0) return;
  const write = (t: Tx) =>
    t
      .update(grants)
      .set({ roleAssignmentIds: sql`(select array_agg(distinct id) from unnest(${grants.roleAssignmentIds} || ${textArray(ids)}) as id)` })
      .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId)));
  await (tx ? write(tx) : withMspTx(grant.mspId, write));
}

/** Forgets role assignments once they are removed: a later attempt need not look for them again. */
export function forgetAssignments(grant: GrantKey) {
  return async (ids: string[]) => {
    if (ids.length === 0) return;
    await withMspTx(grant.mspId, (tx) =>
      tx
        .update(grants)
        .set({ roleAssignmentIds: sql`array(select id from unnest(${grants.roleAssignmentIds}) as id where id <> all(${textArray(ids)}))` })
        .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId))),
    );
  };
}
