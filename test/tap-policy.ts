import type { TapPolicy } from "@/lib/vocabulary/tap-policy";

/** A tenant's pass policy as Stint would have read it: enabled for everyone, Microsoft's default lifetimes. */
export const enabledTapPolicy: TapPolicy = {
  state: "enabled",
  includeTargets: ["all_users"],
  excludeTargets: [],
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLifetimeInMinutes: 60,
  isUsableOnce: false,
};
