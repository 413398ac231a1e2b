import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

/** Graph accepts pass lifetimes from 10 minutes to 30 days, whatever the policy says. */
export const TAP_LIFETIME_BOUNDS = { min: 10, max: 43_200 } as const;

/**
 * The lifetime to ask for: the time the grant still has, within the tenant's minimum and maximum (a
 * pass that outlives a short grant is removed when the grant ends; a grant longer than the maximum gets
 * a new pass before this one lapses).
 */
export function tapLifetimeMinutes(wanted: number, policy: Pick<TapPolicy, "minimumLifetimeInMinutes" | "maximumLifetimeInMinutes"> | null): number {
  const min = Math.max(TAP_LIFETIME_BOUNDS.min, policy?.minimumLifetimeInMinutes ?? TAP_LIFETIME_BOUNDS.min);
  const max = Math.min(TAP_LIFETIME_BOUNDS.max, policy?.maximumLifetimeInMinutes ?? TAP_LIFETIME_BOUNDS.max);
  return Math.min(max, Math.max(min, Math.ceil(wanted)));
}

/** Whether the policy lets a new JIT account (a member of no group) use a pass. */
export function coversNewAccounts(policy: TapPolicy): boolean {
  return policy.state === "enabled" && policy.includeTargets.includes("all_users");
}
