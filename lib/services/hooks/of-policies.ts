import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessHooks, type AccessHook } from "@/db/schema";

/**
 * The enabled hooks of the policies that decided a request, in order: the most specific policy's first (the order
 * the policies are given in), each policy's by position.
 */
export async function hooksOfPolicies(tx: Tx, mspId: string, policyIds: string[]): Promise<AccessHook[]> {
  if (!policyIds.length) return [];
  const rows = await tx
    .select()
    .from(accessHooks)
    .where(and(eq(accessHooks.mspId, mspId), inArray(accessHooks.policyId, policyIds), eq(accessHooks.enabled, true)))
    .orderBy(asc(accessHooks.position));
  return rows.sort((a, b) => policyIds.indexOf(a.policyId) - policyIds.indexOf(b.policyId) || a.position - b.position);
}
