import { z } from "zod";
import type { Tenant } from "../state";

/** The include target that stands for every user of the tenant. */
export const allUsersTarget = "all_users";

// learn: temporaryAccessPassAuthenticationMethodConfiguration: lifetimes 10–43,200 minutes (30 days), length 8–48.
const lifetime = z.number().int().min(10).max(43_200);

const tapPolicyFields = z.object({
  state: z.enum(["enabled", "disabled"]),
  defaultLifetimeInMinutes: lifetime,
  defaultLength: z.number().int().min(8).max(48),
  minimumLifetimeInMinutes: lifetime,
  maximumLifetimeInMinutes: lifetime,
  /** true forces one-time passes tenant-wide. */
  isUsableOnce: z.boolean(),
  /** `all_users` or group ids. */
  includeTargets: z.array(
    z.object({ id: z.string().min(1), targetType: z.literal("group").default("group"), isRegistrationRequired: z.boolean().default(false) }),
  ),
  /** Group ids whose members may not use a pass, even when included. */
  excludeTargets: z.array(z.object({ id: z.string().min(1), targetType: z.literal("group").default("group") })),
});

/** What a caller may pass: any subset of the policy, merged over the current one. */
export const tapPolicyInputSchema = tapPolicyFields.partial();

const tapPolicySchema = tapPolicyFields.refine(
  (p) => p.minimumLifetimeInMinutes <= p.defaultLifetimeInMinutes && p.defaultLifetimeInMinutes <= p.maximumLifetimeInMinutes,
  { message: "minimumLifetimeInMinutes ≤ defaultLifetimeInMinutes ≤ maximumLifetimeInMinutes", path: ["defaultLifetimeInMinutes"] },
);

/** The tenant's Temporary Access Pass policy (Graph's temporaryAccessPassAuthenticationMethodConfiguration). */
export type TapPolicy = z.output<typeof tapPolicyFields>;
export type TapPolicyInput = z.input<typeof tapPolicyInputSchema>;

/** Microsoft's defaults for a tenant (learn: howto-authentication-temporary-access-pass): off, 1 h default, 1–8 h, length 8. */
export function defaultTapPolicy(): TapPolicy {
  return {
    state: "disabled",
    defaultLifetimeInMinutes: 60,
    defaultLength: 8,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    isUsableOnce: false,
    includeTargets: [{ id: allUsersTarget, targetType: "group", isRegistrationRequired: false }],
    excludeTargets: [],
  };
}

/** Validates the input, merges it over the current policy and checks the merged lifetimes against each other. */
export function mergeTapPolicy(current: TapPolicy, input: TapPolicyInput): TapPolicy {
  const given = Object.entries(tapPolicyInputSchema.parse(input)).filter(([, value]) => value !== undefined);
  return tapPolicySchema.parse({ ...current, ...Object.fromEntries(given) });
}

/** Whether the policy lets the user have and use a pass: enabled, included (all users or a group), not excluded. */
export function tapPolicyCovers(tenant: Tenant, userId: string): boolean {
  const policy = tenant.tapPolicy;
  const inGroup = (groupId: string) => tenant.groups.get(groupId)?.members.includes(userId) ?? false;
  return (
    policy.state === "enabled" &&
    policy.includeTargets.some((t) => t.id === allUsersTarget || inGroup(t.id)) &&
    !policy.excludeTargets.some((t) => inGroup(t.id))
  );
}
