import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessPolicies, members, teamMembers, type AccessPolicy, type Customer } from "@/db/schema";
import { withinHours } from "@/lib/policies/hours";

export type PolicyDemands = {
  /** The policies that apply (none: the built-in default, which asks nothing beyond the delegation). */
  policies: { id: string; name: string }[];
  approvalRequired: boolean;
  /** 0 without approval; with 2, two different members. */
  approvalsRequired: number;
  /** Who may approve this request: never its requester. */
  approvers: { id: string; displayName: string }[];
  approvalExpiryMinutes: number;
  emergencyAllowed: boolean;
  ticketRequired: boolean;
  /** Regular expressions the whole ticket reference must match. */
  ticketPatterns: string[];
  justificationMinLength: number;
  stepUpAtRequest: boolean;
  timeZone: string;
  /** Each policy's hours: whether they bound requests, and whether the start falls in them. */
  hours: { policy: string; days: number[]; from: string; to: string; restricts: boolean; within: boolean }[];
  maxDurationMinutes: number | null;
  /** The customer's and the policies' terms, as the requester must accept them. */
  consentText: string | null;
};

type Level = { accessLevelId: string; privileged: boolean };

export const DEFAULT_APPROVAL_EXPIRY_MINUTES = 1440;

/**
 * The policy of each chosen level, most specific first: this customer and level, this customer, this level,
 * the MSP's default. Without levels, the customer's or the default.
 */
function policyOf(all: AccessPolicy[], customerId: string, levelId: string | null): AccessPolicy | undefined {
  const find = (c: string | null, l: string | null) => all.find((p) => p.customerId === c && p.accessLevelId === l);
  return (levelId ? find(customerId, levelId) : undefined) ?? find(customerId, null) ?? (levelId ? find(null, levelId) : undefined) ?? find(null, null);
}

function needsApproval(policy: AccessPolicy, governed: Level[], within: boolean): boolean {
  if (policy.approval === "always") return true;
  if (policy.approval === "privileged") return governed.some((l) => l.privileged);
  if (policy.approval === "outside_hours") return !within;
  return false;
}

/** Active members other than the requester that a policy names as approvers (never auditors: they only read). */
async function approversOf(tx: Tx, mspId: string, requesterId: string, policies: AccessPolicy[]) {
  if (!policies.length) return [];
  const teamIds = [...new Set(policies.flatMap((p) => p.approverTeamIds))];
  const candidates = await tx
    .select({ id: members.id, displayName: members.displayName, role: members.role })
    .from(members)
    .where(and(eq(members.mspId, mspId), eq(members.status, "active"), ne(members.id, requesterId), ne(members.role, "auditor")));
  const memberships = teamIds.length
    ? await tx.select({ teamId: teamMembers.teamId, memberId: teamMembers.memberId }).from(teamMembers).where(and(eq(teamMembers.mspId, mspId), inArray(teamMembers.teamId, teamIds)))
    : [];
  const names = (p: AccessPolicy, m: (typeof candidates)[number]) =>
    p.approverRoles.includes(m.role) || p.approverMemberIds.includes(m.id) || memberships.some((t) => t.memberId === m.id && p.approverTeamIds.includes(t.teamId));
  // A request governed by several policies needs approvers every one of them accepts.
  return candidates.filter((m) => policies.every((p) => names(p, m))).map(({ id, displayName }) => ({ id, displayName }));
}

/**
 * What the access policies ask of one request for these levels on this customer, starting at `at`. Several
 * levels under different policies get the strictest of each demand.
 */
export async function resolveDemands(tx: Tx, input: { mspId: string; customer: Customer; levels: Level[]; requesterId: string; at: Date }): Promise<PolicyDemands> {
  const { mspId, customer, levels, at } = input;
  const all = await tx
    .select()
    .from(accessPolicies)
    .where(
      and(
        eq(accessPolicies.mspId, mspId),
        or(eq(accessPolicies.customerId, customer.id), isNull(accessPolicies.customerId)),
        levels.length ? or(inArray(accessPolicies.accessLevelId, levels.map((l) => l.accessLevelId)), isNull(accessPolicies.accessLevelId)) : isNull(accessPolicies.accessLevelId),
      ),
    );
  const governed = new Map<string, { policy: AccessPolicy; levels: Level[] }>();
  for (const level of levels.length ? levels : [null]) {
    const policy = policyOf(all, customer.id, level?.accessLevelId ?? null);
    if (!policy) continue;
    const entry = governed.get(policy.id) ?? { policy, levels: [] };
    if (level) entry.levels.push(level);
    governed.set(policy.id, entry);
  }
  const applying = [...governed.values()];
  const policies = applying.map((g) => g.policy);
  const hours = policies.map((p) => ({ policy: p.name, days: p.hoursDays, from: p.hoursFrom, to: p.hoursTo, restricts: p.restrictToHours, within: withinHours({ days: p.hoursDays, from: p.hoursFrom, to: p.hoursTo }, customer.timeZone, at) }));
  const approving = applying.filter((g, i) => needsApproval(g.policy, g.levels, hours[i]!.within)).map((g) => g.policy);
  // Break glass alerts everyone with approval rights, so they are known even when approval is not needed now.
  const approvers = await approversOf(tx, mspId, input.requesterId, approving.length ? approving : policies.filter((p) => p.approval !== "never"));
  const limits = policies.map((p) => p.maxDurationMinutes).filter((m) => m !== null);
  const terms = [customer.consentText, ...policies.map((p) => p.consentText)].filter((t): t is string => Boolean(t));
  return {
    policies: policies.map((p) => ({ id: p.id, name: p.name })),
    approvalRequired: approving.length > 0,
    approvalsRequired: Math.max(0, ...approving.map((p) => p.approvalsRequired)),
    approvers,
    approvalExpiryMinutes: approving.length ? Math.min(...approving.map((p) => p.approvalExpiryMinutes)) : DEFAULT_APPROVAL_EXPIRY_MINUTES,
    emergencyAllowed: approving.every((p) => p.emergencyAllowed),
    ticketRequired: policies.some((p) => p.ticketRequired),
    ticketPatterns: [...new Set(policies.map((p) => p.ticketPattern).filter((t) => t !== null))],
    justificationMinLength: Math.max(10, ...policies.map((p) => p.justificationMinLength)),
    stepUpAtRequest: policies.some((p) => p.stepUpAtRequest),
    timeZone: customer.timeZone,
    hours,
    maxDurationMinutes: limits.length ? Math.min(...limits) : null,
    consentText: [...new Set(terms)].join("\n\n") || null,
  };
}
