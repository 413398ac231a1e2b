import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, accessPolicies, customers, members, teams } from "@/db/schema";
import { conflict, notFound, type AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/services/customers/internal";
import type { z } from "zod";
import type { accessPolicyInput } from "./schemas";

type PolicyInput = z.output<typeof accessPolicyInput>;

/** Everything a policy names must be this MSP's. */
export async function assertReferences(tx: Tx, mspId: string, policy: PolicyInput): Promise<void> {
  if (policy.customerId) {
    const [c] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.id, policy.customerId), eq(customers.mspId, mspId)));
    if (!c) throw notFound("Customer");
  }
  if (policy.accessLevelId) {
    const [l] = await tx.select({ id: accessLevels.id }).from(accessLevels).where(and(eq(accessLevels.id, policy.accessLevelId), eq(accessLevels.mspId, mspId)));
    if (!l) throw notFound("Access level");
  }
  if (policy.approverTeamIds.length) {
    const found = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.mspId, mspId), inArray(teams.id, policy.approverTeamIds)));
    if (found.length !== new Set(policy.approverTeamIds).size) throw notFound("Team");
  }
  if (policy.approverMemberIds.length) {
    const found = await tx.select({ id: members.id }).from(members).where(and(eq(members.mspId, mspId), inArray(members.id, policy.approverMemberIds)));
    if (found.length !== new Set(policy.approverMemberIds).size) throw notFound("Member");
  }
}

export async function getPolicyInMsp(tx: Tx, mspId: string, policyId: string) {
  const [row] = await tx.select().from(accessPolicies).where(and(eq(accessPolicies.id, policyId), eq(accessPolicies.mspId, mspId))).for("update");
  if (!row) throw notFound("Access policy");
  return row;
}

/** The two things a policy must not share with another: its name, and what it applies to. */
export function policyConflict(err: unknown, name: string): AppError | null {
  if (isUniqueViolation(err, "access_policies_msp_name_uq")) return conflict(`An access policy named "${name}" already exists.`);
  if (isUniqueViolation(err, "access_policies_scope_uq")) return conflict("Another policy already applies to this customer and access level; edit that one.");
  return null;
}
